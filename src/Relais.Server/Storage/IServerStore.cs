using Relais.Driver;
using Relais.Engine;

namespace Relais.Server.Storage;

/// <summary>
/// Everything the coordinator keeps in its database. Contract:
/// <list type="bullet">
/// <item>Every method may be called concurrently from many requests; each call is its own transaction.</item>
/// <item>As the driver's <see cref="IPipelineStore"/>, <see cref="IPipelineStore.TransitionAsync"/> is
/// compute-then-persist: it locks the pipeline's row, loads the state, lets the caller's pure function decide the
/// next <see cref="EngineStep"/>, and saves the state and the job rows its effects change in ONE transaction. The
/// <see cref="PipelineDriver"/> serialises transitions of one pipeline in a process.</item>
/// <item>A claim (<see cref="JobClaim"/>) is a conditional update <c>WHERE status = 'pending'</c> inside that same
/// transaction: at most one caller ever wins a job, on any number of servers sharing the database.</item>
/// <item>As the driver's <see cref="IResourceGroupStore"/>, a group (scoped by the pipeline's project) is loaded,
/// changed and saved in one transaction that holds the group's row lock, so coordinators sharing the database take
/// turns and the holder survives a restart.</item>
/// <item>Tokens are passed in hashed; the store never sees a secret.</item>
/// </list>
/// </summary>
public interface IServerStore : IPipelineStore, IResourceGroupStore
{
    /// <summary>Creates the root user with this token hash unless a user exists; true when it did.</summary>
    Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now);

    Task<UserRecord?> FindUserByTokenAsync(string tokenHash);

    Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now);

    Task<RunnerRecord?> FindRunnerAsync(string tokenHash);

    Task<bool> DeleteRunnerAsync(string tokenHash);

    Task<ProjectRecord> EnsureProjectAsync(string path, string defaultBranch, DateTimeOffset now);

    Task<ProjectRecord?> GetProjectAsync(long id);

    /// <summary>Inserts a pipeline row in status <c>created</c> and returns its id (the engine needs it before the compile).</summary>
    Task<long> InsertPipelineAsync(long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now);

    /// <summary>Marks a pipeline failed with its compile diagnostics (no engine state, no jobs).</summary>
    Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now);

    /// <summary>Removes a pipeline row that never started: <c>workflow:rules</c> created no pipeline, so GitLab would show none.</summary>
    Task DeleteUnstartedPipelineAsync(long pipelineId);

    Task<PipelineRecord?> GetPipelineAsync(long pipelineId);

    /// <summary>A pipeline with its engine state parsed, from a cache while its stored version is unchanged.</summary>
    Task<PipelineSnapshot?> GetPipelineStateAsync(long pipelineId);

    Task<JobRecord?> GetJobAsync(long jobId);

    Task<JobRecord?> FindJobByTokenAsync(string tokenHash);

    /// <summary>The oldest pending jobs, for the queue to match against a runner.</summary>
    Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit);

    /// <summary>The current (newest) attempt of every job of a pipeline.</summary>
    Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId);

    Task SaveArtifactAsync(ArtifactRecord artifact, DateTimeOffset now, DateTimeOffset? expireAt);

    Task<ArtifactRecord?> FindArtifactAsync(long jobId, string fileType);

    Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(IReadOnlyCollection<long> jobIds);

    // --- REST API (Api/) ---

    /// <summary>Creates a user with one personal access token (by its hash).</summary>
    Task<UserRecord> CreateUserAsync(string username, bool isAdmin, string tokenHash, DateTimeOffset now);

    Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync();

    Task<ProjectRecord?> FindProjectAsync(string path);

    /// <summary>Creates a project; null when the path is taken.</summary>
    Task<ProjectRecord?> CreateProjectAsync(string path, string defaultBranch, string visibility, DateTimeOffset now);

    Task SetProjectVisibilityAsync(long projectId, string visibility);

    /// <summary>A project's pipelines, newest first (<see cref="ListQuery.Ref"/> and statuses filter).</summary>
    Task<Page<PipelineRecord>> ListPipelinesAsync(long projectId, ListQuery query);

    /// <summary>Every attempt of every job of a pipeline, in id order.</summary>
    Task<IReadOnlyList<JobRecord>> JobsOfPipelineAsync(long pipelineId);

    /// <summary>A project's jobs (every attempt), newest first.</summary>
    Task<Page<JobRecord>> ListProjectJobsAsync(long projectId, ListQuery query);

    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId);

    Task<VariableRecord?> GetVariableAsync(long projectId, string key);

    /// <summary>Inserts the variable; false when the key exists.</summary>
    Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now);

    /// <summary>Replaces the variable; false when there is none with that key.</summary>
    Task<bool> UpdateVariableAsync(VariableRecord variable);

    Task<bool> DeleteVariableAsync(long projectId, string key);

    /// <summary>The project's stored <c>.gitlab-ci.yml</c> (used to run a pipeline for a ref until git hosting provides the file).</summary>
    Task<string?> GetCiConfigAsync(long projectId);

    Task SaveCiConfigAsync(long projectId, string content, DateTimeOffset now);

    Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync();

    // Protected branches.

    /// <summary>The project's protected branches (names and wildcard patterns), by name.</summary>
    Task<IReadOnlyList<ProtectedBranchRecord>> ListProtectedBranchesAsync(long projectId);

    /// <summary>Protects a branch (or pattern); null when it is protected already.</summary>
    Task<ProtectedBranchRecord?> ProtectBranchAsync(ProtectedBranchRecord branch, DateTimeOffset now);

    /// <summary>Unprotects a branch (or pattern); false when it was not protected.</summary>
    Task<bool> UnprotectBranchAsync(long projectId, string name);

    // --- Reliability (Reliability/: heartbeats, watchdog, resource groups across restarts and coordinators) ---

    /// <summary>Records that the runner of a running job was heard from at <paramref name="at"/> (its heartbeat).</summary>
    Task TouchJobAsync(long jobId, DateTimeOffset at);

    /// <summary>Running or canceling jobs whose runner was last heard from (or which started) before <paramref name="contactedBefore"/>.</summary>
    Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit);

    /// <summary>Whether the job is still running (or canceling) and silent since before <paramref name="contactedBefore"/>.</summary>
    Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore);

    /// <summary>Jobs pending since before <paramref name="queuedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit);

    /// <summary>The pipelines that have at least one job row in one of <paramref name="statuses"/>.</summary>
    Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<string> statuses);

    /// <summary>The stored status of one job attempt; null when there is no row.</summary>
    Task<string?> JobStatusAsync(long pipelineId, string job, int attempt);

    /// <summary>Every resource group that has a holder (the sweeper checks that its job still needs it).</summary>
    Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync();

    // --- Security (Security/): users and tokens made by administrators, the audit log ---

    /// <summary>Creates a user without a token; null when the name is taken.</summary>
    Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now);

    Task<UserRecord?> GetUserAsync(long id);

    Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now);

    /// <summary>A token's row by id (its owner, name, whether revoked); its creation time is not read back.</summary>
    Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id);

    /// <summary>Revokes a token (it stops authenticating at once); false when it was unknown or already revoked.</summary>
    Task<bool> RevokePersonalAccessTokenAsync(long id);

    /// <summary>One encrypted masked value, if any (the start checks that the key opens it).</summary>
    Task<string?> AnySealedValueAsync();

    Task AddAuditEventAsync(AuditEventRecord e, DateTimeOffset now);

    /// <summary>The audit log, newest first; <paramref name="entityType"/> filters when given.</summary>
    Task<Page<AuditEventRecord>> ListAuditEventsAsync(string? entityType, int offset, int limit);

    // --- Web UI (Web/) ---

    /// <summary>Sets the user's password hash unless one is set; true when it did (the first start wins).</summary>
    Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash);

    Task<SignInRecord?> FindSignInAsync(string username);

    Task CreateSessionAsync(string tokenHash, long userId, DateTimeOffset now, DateTimeOffset expiresAt);

    /// <summary>The user of an unexpired session (by its token hash), or null.</summary>
    Task<UserRecord?> FindUserBySessionAsync(string tokenHash, DateTimeOffset now);

    Task DeleteSessionAsync(string tokenHash);

    /// <summary>For listed pipelines: the context (source) and the first job start and last job finish.</summary>
    Task<IReadOnlyList<PipelineSummaryRecord>> PipelineSummariesAsync(IReadOnlyCollection<long> pipelineIds);

    /// <summary>Every running or canceling job that a runner holds.</summary>
    Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync();
}
