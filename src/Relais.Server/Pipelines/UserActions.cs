using Relais.Driver;
using Relais.Engine;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>What a user can do to one job.</summary>
public enum JobAction
{
    /// <summary>Start a manual job (<see cref="ManualJobPlayed"/>).</summary>
    Play,

    /// <summary>Run a finished job again as a new attempt (<see cref="RetryRequested"/>).</summary>
    Retry,

    /// <summary>Stop a job (<see cref="JobCancelRequested"/>).</summary>
    Cancel,
}

/// <summary>What a user can do to a whole pipeline.</summary>
public enum PipelineAction
{
    /// <summary><see cref="PipelineCancelRequested"/>.</summary>
    Cancel,

    /// <summary><see cref="PipelineRetryRequested"/>.</summary>
    Retry,
}

/// <summary>
/// The actions people click (REST API and web UI alike): each becomes an engine event applied through the
/// <see cref="PipelineDriver"/>, so the engine decides and the queue wakes. Callers check access first.
/// </summary>
public sealed class UserActions(IPipelineStore pipelineStore, PipelineDriver driver, TimeProvider time)
{
    /// <summary>
    /// Applies <paramref name="action"/> to <paramref name="job"/>. Only the current attempt of a job in a pipeline
    /// with engine state can be acted on. Returns whether the engine accepted it, and the job to show afterwards
    /// (the new attempt after a retry, else the job as it is now).
    /// </summary>
    public async Task<(bool Accepted, JobRecord Shown)> OnJobAsync(JobRecord job, JobAction action, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        PipelineEvent e = action switch
        {
            JobAction.Play => new ManualJobPlayed(now, job.Name),
            JobAction.Retry => new RetryRequested(now, job.Name),
            _ => new JobCancelRequested(now, job.Name),
        };
        var attempts = await pipelineStore.JobsOfPipelineAsync(job.PipelineId, cancel);
        var latest = attempts.Where(j => j.Name == job.Name).Max(j => j.Attempt);
        var pipeline = await pipelineStore.GetPipelineAsync(job.PipelineId, cancel);
        // Only the current attempt can be acted on; the engine would take the name to mean the current one.
        var step = pipeline?.HasState != true || job.Attempt != latest ? null : await driver.ApplyAsync(job.PipelineId, e);
        // Applied or not, the outcome is read to the end even if the client has gone: the caller audits it.
        var shown = action == JobAction.Retry
            ? (await pipelineStore.JobsOfPipelineAsync(job.PipelineId, CancellationToken.None)).Where(j => j.Name == job.Name).MaxBy(j => j.Attempt)!
            : (await pipelineStore.GetJobAsync(job.Id, CancellationToken.None))!;
        return (step is not null, shown);
    }

    /// <summary>The audit log's name for a job action: <c>job_played</c>, <c>job_retried</c>, <c>job_canceled</c>.</summary>
    public static string AuditName(JobAction action) => action switch
    {
        JobAction.Play => "job_played",
        JobAction.Retry => "job_retried",
        _ => "job_canceled",
    };

    /// <summary>The audit log's name for a pipeline action: <c>pipeline_canceled</c>, <c>pipeline_retried</c>.</summary>
    public static string AuditName(PipelineAction action) => action == PipelineAction.Cancel ? "pipeline_canceled" : "pipeline_retried";

    /// <summary>Applies a pipeline action; a pipeline without engine state (failed compile) or a rejected event changes nothing. True when accepted.</summary>
    public async Task<bool> OnPipelineAsync(PipelineRecord pipeline, PipelineAction action)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (!pipeline.HasState)
        {
            return false;
        }

        var now = time.GetUtcNow();
        PipelineEvent e = action == PipelineAction.Cancel ? new PipelineCancelRequested(now) : new PipelineRetryRequested(now);
        return await driver.ApplyAsync(pipeline.Id, e) is not null;
    }
}
