using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// Pipelines and their jobs: rows, engine states, transitions, the claim, resource groups and what reliability reads. Contract:
/// <list type="bullet">
/// <item>Every method may be called concurrently from many requests; each call is its own transaction.</item>
/// <item>As the driver's <see cref="IPipelineStateStore"/>, <see cref="IPipelineStateStore.TransitionAsync"/> is
/// compute-then-persist: it locks the pipeline's row, loads the state, lets the caller's pure function decide the next
/// <see cref="EngineStep"/>, and saves the state and the job rows its effects change in ONE transaction. The
/// <see cref="PipelineDriver"/> serialises transitions of one pipeline in a process.</item>
/// <item>A claim (<see cref="JobClaim"/>) is a conditional update <c>WHERE status = 'pending'</c> inside that same
/// transaction: at most one caller ever wins a job, on any number of servers sharing the database.</item>
/// <item>As the driver's <see cref="IResourceGroupStore"/>, a group (scoped by the pipeline's project) is loaded,
/// changed and saved in one transaction that holds the group's row lock, so coordinators sharing the database take
/// turns and the holder survives a restart.</item>
/// <item>Tokens are passed in hashed; the store never sees a secret.</item>
/// </list>
/// </summary>
public interface IPipelineStore : IPipelineStateStore, IResourceGroupStore
{
    /// <summary>
    /// Inserts a pipeline row in status <c>created</c> and returns its id (the engine needs it before the compile);
    /// <paramref name="userId"/> is who caused it (null: nobody known).
    /// </summary>
    /// <remarks><paramref name="variablesJson"/>: the pipeline's own variables as given (<see cref="PipelineVariableRecord"/>s in JSON), for <c>GET /pipelines/:id/variables</c>.</remarks>
    Task<long> InsertPipelineAsync(long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now, long? userId = null, string? variablesJson = null, CancellationToken cancel = default);

    /// <summary>Marks a pipeline failed with its compile diagnostics (no engine state, no jobs).</summary>
    Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Marks a pipeline that was never started as <c>skipped</c> (a push saying <c>[ci skip]</c> or <c>-o ci.skip</c>): it keeps no state and no jobs.</summary>
    Task SkipPipelineAsync(long pipelineId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Removes a pipeline row that never started: <c>workflow:rules</c> created no pipeline, so GitLab would show none.</summary>
    Task DeleteUnstartedPipelineAsync(long pipelineId, CancellationToken cancel = default);

    Task<PipelineRecord?> GetPipelineAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>A pipeline with its engine state parsed, from a cache while its stored version is unchanged.</summary>
    Task<PipelineSnapshot?> GetPipelineStateAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>A project's pipelines, newest first (<see cref="ListQuery.Ref"/> and statuses filter).</summary>
    Task<Page<PipelineRecord>> ListPipelinesAsync(long projectId, ListQuery query, CancellationToken cancel = default);

    /// <summary>A project's pipelines as GitLab's list filters and orders them (<see cref="PipelineFilter"/>), one page and the total.</summary>
    Task<Page<PipelineRecord>> FindPipelinesAsync(long projectId, PipelineFilter filter, CancellationToken cancel = default);

    /// <summary>The pipeline's own variables as stored at creation (JSON), or null when none were recorded.</summary>
    Task<string?> PipelineVariablesAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>
    /// Deletes a pipeline, its jobs (every attempt), their artifact rows and its resource group queue places; answers what
    /// files the caller should remove (logs by job id, artifact blobs), or null when there was no such pipeline.
    /// </summary>
    Task<DeletedPipeline?> DeletePipelineAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>For listed pipelines: the context (source) and the first job start and last job finish.</summary>
    Task<IReadOnlyList<PipelineSummaryRecord>> PipelineSummariesAsync(IReadOnlyCollection<long> pipelineIds, CancellationToken cancel = default);

    Task<JobRecord?> GetJobAsync(long jobId, CancellationToken cancel = default);

    Task<JobRecord?> FindJobByTokenAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>
    /// The oldest pending jobs, for the queue to match against a runner; with <paramref name="trustedProjectsOnly"/>
    /// only those of trusted projects (marked, or in an administrator's namespace: <c>Queue/ProjectTrust</c>'s rule),
    /// so a runner that does not isolate jobs is not shown a page of untrusted ones it must pass by.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit, bool trustedProjectsOnly = false, RunnerRecord? reachableBy = null, CancellationToken cancel = default);

    /// <summary>The current (newest) attempt of every job of a pipeline.</summary>
    Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>Every attempt of every job of a pipeline, in id order.</summary>
    Task<IReadOnlyList<JobRecord>> JobsOfPipelineAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>A project's jobs (every attempt), newest first.</summary>
    Task<Page<JobRecord>> ListProjectJobsAsync(long projectId, ListQuery query, CancellationToken cancel = default);

    /// <summary>Records that the job's log and artifacts were erased (<c>erased_at</c>); the first time counts.</summary>
    Task MarkJobErasedAsync(long jobId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Records that the runner of a running job was heard from at <paramref name="at"/> (its heartbeat).</summary>
    Task TouchJobAsync(long jobId, DateTimeOffset at, CancellationToken cancel = default);

    /// <summary>Running or canceling jobs whose runner was last heard from (or which started) before <paramref name="contactedBefore"/>.</summary>
    Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit, CancellationToken cancel = default);

    /// <summary>Whether the job is still running (or canceling) and silent since before <paramref name="contactedBefore"/>.</summary>
    Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore, CancellationToken cancel = default);

    /// <summary>Jobs pending since before <paramref name="queuedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit, CancellationToken cancel = default);

    /// <summary>The pipelines that have at least one job row in one of <paramref name="statuses"/>.</summary>
    Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<CiStatus> statuses, CancellationToken cancel = default);

    /// <summary>The stored status of one job attempt; null when there is no row.</summary>
    Task<CiStatus?> JobStatusAsync(long pipelineId, string job, int attempt, CancellationToken cancel = default);

    /// <summary>Every resource group that has a holder.</summary>
    Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync(CancellationToken cancel = default);
}
