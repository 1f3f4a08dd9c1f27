using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// The seven stores as one <see cref="IServerStore"/>, each call forwarded to its aggregate's store: what the endpoints
/// still reach through <c>ServerContext.Store</c> until each endpoint group is handed only the stores it uses.
/// </summary>
internal sealed class ServerStores(
    IPipelineStore pipelines,
    IProjectStore projects,
    IIdentityStore identity,
    IRunnerStore runners,
    IVariableStore variables,
    IArtifactStore artifacts,
    IAuditStore audit) : IServerStore
{
    public Task<long> InsertPipelineAsync(long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now, CancellationToken cancel = default) =>
        pipelines.InsertPipelineAsync(projectId, gitRef, sha, contextJson, now, cancel);

    public Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now, CancellationToken cancel = default) =>
        pipelines.FailPipelineAsync(pipelineId, diagnosticsJson, now, cancel);

    public Task DeleteUnstartedPipelineAsync(long pipelineId, CancellationToken cancel = default) =>
        pipelines.DeleteUnstartedPipelineAsync(pipelineId, cancel);

    public Task<PipelineRecord?> GetPipelineAsync(long pipelineId, CancellationToken cancel = default) =>
        pipelines.GetPipelineAsync(pipelineId, cancel);

    public Task<PipelineSnapshot?> GetPipelineStateAsync(long pipelineId, CancellationToken cancel = default) =>
        pipelines.GetPipelineStateAsync(pipelineId, cancel);

    public Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null, CancellationToken cancel = default) =>
        pipelines.TransitionAsync(pipelineId, decide, claim, cancel);

    public Task<ResourceGroupStep> UpdateAsync(long pipelineId, string group, Func<ResourceGroupState, ResourceGroupStep> decide, CancellationToken cancel = default) =>
        pipelines.UpdateAsync(pipelineId, group, decide, cancel);

    public Task<Page<PipelineRecord>> ListPipelinesAsync(long projectId, ListQuery query, CancellationToken cancel = default) =>
        pipelines.ListPipelinesAsync(projectId, query, cancel);

    public Task<IReadOnlyList<PipelineSummaryRecord>> PipelineSummariesAsync(IReadOnlyCollection<long> pipelineIds, CancellationToken cancel = default) =>
        pipelines.PipelineSummariesAsync(pipelineIds, cancel);

    public Task<JobRecord?> GetJobAsync(long jobId, CancellationToken cancel = default) =>
        pipelines.GetJobAsync(jobId, cancel);

    public Task<JobRecord?> FindJobByTokenAsync(string tokenHash, CancellationToken cancel = default) =>
        pipelines.FindJobByTokenAsync(tokenHash, cancel);

    public Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit, CancellationToken cancel = default) =>
        pipelines.PendingJobsAsync(limit, cancel);

    public Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId, CancellationToken cancel = default) =>
        pipelines.CurrentJobsAsync(pipelineId, cancel);

    public Task<IReadOnlyList<JobRecord>> JobsOfPipelineAsync(long pipelineId, CancellationToken cancel = default) =>
        pipelines.JobsOfPipelineAsync(pipelineId, cancel);

    public Task<Page<JobRecord>> ListProjectJobsAsync(long projectId, ListQuery query, CancellationToken cancel = default) =>
        pipelines.ListProjectJobsAsync(projectId, query, cancel);

    public Task TouchJobAsync(long jobId, DateTimeOffset at, CancellationToken cancel = default) =>
        pipelines.TouchJobAsync(jobId, at, cancel);

    public Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit, CancellationToken cancel = default) =>
        pipelines.SilentJobsAsync(contactedBefore, limit, cancel);

    public Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore, CancellationToken cancel = default) =>
        pipelines.IsSilentAsync(jobId, contactedBefore, cancel);

    public Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit, CancellationToken cancel = default) =>
        pipelines.PendingSinceAsync(queuedBefore, limit, cancel);

    public Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<CiStatus> statuses, CancellationToken cancel = default) =>
        pipelines.PipelinesWithJobsAsync(statuses, cancel);

    public Task<CiStatus?> JobStatusAsync(long pipelineId, string job, int attempt, CancellationToken cancel = default) =>
        pipelines.JobStatusAsync(pipelineId, job, attempt, cancel);

    public Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync(CancellationToken cancel = default) =>
        pipelines.ResourceHoldersAsync(cancel);

    public Task<ProjectRecord> EnsureProjectAsync(string path, string defaultBranch, DateTimeOffset now, CancellationToken cancel = default) =>
        projects.EnsureProjectAsync(path, defaultBranch, now, cancel);

    public Task<ProjectRecord?> GetProjectAsync(long id, CancellationToken cancel = default) =>
        projects.GetProjectAsync(id, cancel);

    public Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancel = default) =>
        projects.ListProjectsAsync(cancel);

    public Task<ProjectRecord?> FindProjectAsync(string path, CancellationToken cancel = default) =>
        projects.FindProjectAsync(path, cancel);

    public Task<ProjectRecord?> CreateProjectAsync(string path, string defaultBranch, string visibility, DateTimeOffset now, CancellationToken cancel = default) =>
        projects.CreateProjectAsync(path, defaultBranch, visibility, now, cancel);

    public Task SetProjectVisibilityAsync(long projectId, string visibility, CancellationToken cancel = default) =>
        projects.SetProjectVisibilityAsync(projectId, visibility, cancel);

    public Task<string?> GetCiConfigAsync(long projectId, CancellationToken cancel = default) =>
        projects.GetCiConfigAsync(projectId, cancel);

    public Task<IReadOnlyList<ProtectedBranchRecord>> ListProtectedBranchesAsync(long projectId, CancellationToken cancel = default) =>
        projects.ListProtectedBranchesAsync(projectId, cancel);

    public Task<ProtectedBranchRecord?> ProtectBranchAsync(ProtectedBranchRecord branch, DateTimeOffset now, CancellationToken cancel = default) =>
        projects.ProtectBranchAsync(branch, now, cancel);

    public Task<bool> UnprotectBranchAsync(long projectId, string name, CancellationToken cancel = default) =>
        projects.UnprotectBranchAsync(projectId, name, cancel);

    public Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default) =>
        identity.EnsureRootAsync(tokenHash, now, cancel);

    public Task<UserRecord?> FindUserByTokenAsync(string tokenHash, CancellationToken cancel = default) =>
        identity.FindUserByTokenAsync(tokenHash, cancel);

    public Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default) =>
        identity.AddUserAsync(username, isAdmin, now, cancel);

    public Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default) =>
        identity.GetUserAsync(id, cancel);

    public Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default) =>
        identity.AddPersonalAccessTokenAsync(userId, name, tokenHash, now, cancel);

    public Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id, CancellationToken cancel = default) =>
        identity.GetPersonalAccessTokenAsync(id, cancel);

    public Task<bool> RevokePersonalAccessTokenAsync(long id, CancellationToken cancel = default) =>
        identity.RevokePersonalAccessTokenAsync(id, cancel);

    public Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash, CancellationToken cancel = default) =>
        identity.SetPasswordIfUnsetAsync(username, passwordHash, cancel);

    public Task<SignInRecord?> FindSignInAsync(string username, CancellationToken cancel = default) =>
        identity.FindSignInAsync(username, cancel);

    public Task CreateSessionAsync(string tokenHash, long userId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancel = default) =>
        identity.CreateSessionAsync(tokenHash, userId, now, expiresAt, cancel);

    public Task<UserRecord?> FindUserBySessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default) =>
        identity.FindUserBySessionAsync(tokenHash, now, cancel);

    public Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default) =>
        identity.DeleteSessionAsync(tokenHash, cancel);

    public Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default) =>
        runners.CreateRunnerAsync(tokenHash, description, tags, runUntagged, now, cancel);

    public Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default) =>
        runners.FindRunnerAsync(tokenHash, cancel);

    public Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default) =>
        runners.DeleteRunnerAsync(tokenHash, cancel);

    public Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default) =>
        runners.ListRunnersAsync(cancel);

    public Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync(CancellationToken cancel = default) =>
        runners.ProcessingJobsAsync(cancel);

    public Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId, CancellationToken cancel = default) =>
        variables.ListVariablesAsync(projectId, cancel);

    public Task<VariableRecord?> GetVariableAsync(long projectId, string key, CancellationToken cancel = default) =>
        variables.GetVariableAsync(projectId, key, cancel);

    public Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default) =>
        variables.CreateVariableAsync(variable, now, cancel);

    public Task<bool> UpdateVariableAsync(VariableRecord variable, CancellationToken cancel = default) =>
        variables.UpdateVariableAsync(variable, cancel);

    public Task<bool> DeleteVariableAsync(long projectId, string key, CancellationToken cancel = default) =>
        variables.DeleteVariableAsync(projectId, key, cancel);

    public Task<string?> AnySealedValueAsync(CancellationToken cancel = default) =>
        variables.AnySealedValueAsync(cancel);

    public Task SaveArtifactAsync(ArtifactRecord artifact, DateTimeOffset now, DateTimeOffset? expireAt, CancellationToken cancel = default) =>
        artifacts.SaveArtifactAsync(artifact, now, expireAt, cancel);

    public Task<ArtifactRecord?> FindArtifactAsync(long jobId, string fileType, CancellationToken cancel = default) =>
        artifacts.FindArtifactAsync(jobId, fileType, cancel);

    public Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default) =>
        artifacts.ArtifactsOfAsync(jobIds, cancel);

    public Task AddAuditEventAsync(AuditEventRecord e, DateTimeOffset now, CancellationToken cancel = default) =>
        audit.AddAuditEventAsync(e, now, cancel);

    public Task<Page<AuditEventRecord>> ListAuditEventsAsync(string? entityType, int offset, int limit, CancellationToken cancel = default) =>
        audit.ListAuditEventsAsync(entityType, offset, limit, cancel);
}
