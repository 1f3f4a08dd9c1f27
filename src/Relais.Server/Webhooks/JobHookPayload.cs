using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Webhooks;

/// <summary>
/// The <c>Job Hook</c> payload (<c>object_kind: build</c>): the job's <c>build_*</c> fields, <c>ref</c>, <c>tag</c>,
/// <c>sha</c>, <c>before_sha</c>, <c>retries_count</c>, <c>pipeline_id</c>, <c>project_id</c>, <c>project_name</c>,
/// <c>user</c>, <c>commit</c> (the pipeline, in GitLab's job-hook shape), <c>repository</c>, <c>project</c>,
/// <c>runner</c>, <c>environment</c> and <c>source_pipeline: null</c>.
/// </summary>
internal static class JobHookPayload
{
    public static Dictionary<string, object?> Build(PipelineSnapshot snapshot, JobRecord job, CiStatus status, ProjectRecord project, IReadOnlyList<RunnerRecord> runners, CloneUrls urls)
    {
        var (row, state) = snapshot;
        var context = StateJson.ReadContext(row.ContextJson);
        var attempt = state?.Jobs.FirstOrDefault(j => j.Name == job.Name && j.Attempt == job.Attempt);
        var plan = state?.Plan.Job(job.Name);
        var (authorName, authorEmail) = HookObjects.Author(context.CommitAuthor);
        return new()
        {
            ["object_kind"] = "build",
            ["ref"] = row.Ref,
            ["tag"] = context.IsTag,
            ["before_sha"] = context.BeforeSha ?? new string('0', 40),
            ["sha"] = row.Sha,
            ["build_id"] = job.Id,
            ["build_name"] = job.Name,
            ["build_stage"] = job.Stage,
            ["build_status"] = status.ToGitLab(),
            ["build_created_at"] = HookObjects.IsoText(attempt?.CreatedAt),
            ["build_started_at"] = HookObjects.IsoText(attempt?.StartedAt),
            ["build_finished_at"] = HookObjects.IsoText(status.IsCompleted() ? attempt?.FinishedAt : null),
            ["build_duration"] = HookObjects.Seconds(attempt?.Duration),
            ["build_queued_duration"] = HookObjects.Seconds(attempt is { StartedAt: { } s, QueuedAt: { } q } ? s - q : null),
            ["build_allow_failure"] = attempt?.AllowFailure ?? false,
            ["build_failure_reason"] = status == CiStatus.Failed ? attempt?.FailureReason ?? job.FailureReason ?? FailureReasons.UnknownFailure : "unknown_failure",
            ["retries_count"] = job.Attempt - 1,
            ["pipeline_id"] = row.Id,
            ["project_id"] = project.Id,
            ["project_name"] = project.Namespace.Length == 0 ? project.Name : $"{project.Namespace} / {project.Name}",
            ["user"] = HookObjects.User(context.User),
            ["commit"] = new Dictionary<string, object?>
            {
                ["id"] = row.Id,
                ["name"] = state?.Plan.Name,
                ["sha"] = row.Sha,
                ["message"] = context.CommitMessage,
                ["author_name"] = authorName,
                ["author_email"] = authorEmail,
                ["author_url"] = null,
                ["status"] = row.Status.ToGitLab(),
                ["duration"] = state is { StartedAt: { } ps, FinishedAt: { } pf } ? (long?)(pf - ps).TotalSeconds : null,
                ["started_at"] = HookObjects.UtcText(state?.StartedAt),
                ["finished_at"] = HookObjects.UtcText(state?.FinishedAt),
            },
            ["repository"] = HookObjects.Repository(project, urls),
            ["project"] = HookObjects.Project(project, urls),
            ["runner"] = Runner(job, runners),
            ["environment"] = plan?.Environment is { } env ? new Dictionary<string, object?> { ["name"] = EnvironmentName(plan, context, row.Id) ?? env.Name, ["action"] = env.Action, ["deployment_tier"] = env.DeploymentTier } : null,
            ["source_pipeline"] = null,
        };
    }

    /// <summary>
    /// The job's environment name expanded as the server records it (<c>review/feature-x</c>); the pipeline's CI/CD
    /// variables are not read here (their values are kept sealed), so a name that uses one of them is shown as written.
    /// </summary>
    private static string? EnvironmentName(Relais.Pipelines.Plan.JobPlan plan, Relais.Pipelines.Context.PipelineContext context, long pipelineId)
    {
        var written = plan.Environment!.Name;
        return context.Variables.Any(v => written.Contains("$" + v.Key, StringComparison.Ordinal) || written.Contains("${" + v.Key + "}", StringComparison.Ordinal))
            ? written
            : Relais.Dispatch.JobEnvironments.Resolve(plan, context with { PipelineId = pipelineId, PipelineIid = pipelineId, Variables = [] })?.Name;
    }

    /// <summary>The runner object of a job; null when no runner took it.</summary>
    public static Dictionary<string, object?>? Runner(JobRecord? job, IReadOnlyList<RunnerRecord> runners) =>
        job?.RunnerId is { } id && runners.FirstOrDefault(r => r.Id == id) is { } runner
            ? new()
            {
                ["id"] = runner.Id,
                ["description"] = runner.Description,
                ["runner_type"] = "instance_type",
                ["active"] = !runner.Paused,
                ["is_shared"] = true,
                ["tags"] = runner.TagList,
            }
            : null;
}
