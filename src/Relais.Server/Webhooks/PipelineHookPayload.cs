using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Webhooks;

/// <summary>
/// The <c>Pipeline Hook</c> payload (<c>object_kind: pipeline</c>): <c>object_attributes</c> (id, iid, name, ref, tag, sha,
/// before_sha, source, status, detailed_status, stages, times, url), <c>merge_request: null</c>, <c>user</c>,
/// <c>project</c>, <c>commit</c>, <c>source_pipeline: null</c> and <c>builds[]</c> (the current attempt of each job).
/// <c>variables</c> is always empty: the stored context mixes the project's variables with the pipeline's.
/// </summary>
internal static class PipelineHookPayload
{
    /// <summary>GitLab's <c>detailed_status</c> text of a status (<c>success</c> reads <c>passed</c>).</summary>
    public static string DetailedStatus(CiStatus status, bool warnings) => status switch
    {
        CiStatus.Success when warnings => "passed with warnings",
        CiStatus.Success => "passed",
        CiStatus.WaitingForResource => "waiting for resource",
        _ => status.ToGitLab(),
    };

    public static Dictionary<string, object?> Build(PipelineSnapshot snapshot, CiStatus status, ProjectRecord project, IReadOnlyList<JobRecord> jobs, IReadOnlyList<RunnerRecord> runners, CloneUrls urls)
    {
        var (row, state) = snapshot;
        var context = StateJson.ReadContext(row.ContextJson);
        var (authorName, authorEmail) = HookObjects.Author(context.CommitAuthor);
        var first = state?.Jobs.Where(j => j.QueuedAt is not null).Select(j => j.QueuedAt).Min();
        var user = HookObjects.User(context.User);
        return new()
        {
            ["object_kind"] = "pipeline",
            ["object_attributes"] = new Dictionary<string, object?>
            {
                ["id"] = row.Id,
                ["iid"] = row.Id,
                ["name"] = state?.Plan.Name,
                ["ref"] = row.Ref,
                ["tag"] = context.IsTag,
                ["sha"] = row.Sha,
                ["before_sha"] = context.BeforeSha ?? new string('0', 40),
                ["source"] = context.Source.ToName(),
                ["status"] = status.ToGitLab(),
                ["detailed_status"] = DetailedStatus(status, state?.HasWarnings ?? false),
                ["stages"] = state is null ? Array.Empty<string>() : state.Plan.Stages.Where(s => state.CurrentJobs.Any(j => state.Plan.Job(j.Name)?.Stage == s)).ToArray(),
                ["created_at"] = HookObjects.UtcText(state?.CreatedAt),
                ["finished_at"] = HookObjects.UtcText(status.IsCompleted() ? state?.FinishedAt : null),
                ["duration"] = state is { StartedAt: { } s, FinishedAt: { } f } ? (long?)(f - s).TotalSeconds : null,
                ["queued_duration"] = state?.StartedAt is { } started && first is { } queued ? (long?)(started - queued).TotalSeconds : null,
                ["variables"] = Array.Empty<object>(),
                ["url"] = $"{urls.Web(project)}/-/pipelines/{row.Id}",
            },
            ["merge_request"] = null,
            ["user"] = user,
            ["project"] = HookObjects.Project(project, urls),
            ["commit"] = HookObjects.Commit(row.Sha, context.CommitMessage, context.CommitTimestamp, authorName, authorEmail, project, urls),
            ["source_pipeline"] = null,
            ["builds"] = state is null ? Array.Empty<object>() : Builds(state, jobs, runners, user),
        };
    }

    private static List<Dictionary<string, object?>> Builds(PipelineState state, IReadOnlyList<JobRecord> jobs, IReadOnlyList<RunnerRecord> runners, Dictionary<string, object?>? user) =>
        [.. state.CurrentJobs.Select(j =>
        {
            var plan = state.Plan.Job(j.Name);
            var row = jobs.FirstOrDefault(r => r.Name == j.Name && r.Attempt == j.Attempt);
            var manual = plan?.When == JobWhen.Manual;
            return new Dictionary<string, object?>
            {
                ["id"] = row?.Id,
                ["stage"] = plan?.Stage ?? row?.Stage,
                ["name"] = j.Name,
                ["status"] = j.Status.ToGitLab(),
                ["created_at"] = HookObjects.UtcText(j.CreatedAt),
                ["started_at"] = HookObjects.UtcText(j.StartedAt),
                ["finished_at"] = HookObjects.UtcText(j.FinishedAt),
                ["duration"] = HookObjects.Seconds(j.Duration),
                ["queued_duration"] = HookObjects.Seconds(j is { StartedAt: { } st, QueuedAt: { } q } ? st - q : null),
                ["failure_reason"] = j.Status == CiStatus.Failed ? j.FailureReason ?? FailureReasons.UnknownFailure : null,
                ["when"] = WhenName(plan?.When),
                ["manual"] = manual,
                ["allow_failure"] = j.AllowFailure,
                ["user"] = user,
                ["runner"] = JobHookPayload.Runner(row, runners),
                ["artifacts_file"] = new Dictionary<string, object?> { ["filename"] = null, ["size"] = null },
                ["environment"] = plan?.Environment is { } env ? new Dictionary<string, object?> { ["name"] = env.Name, ["action"] = env.Action, ["deployment_tier"] = env.DeploymentTier } : null,
            };
        })];

    /// <summary>GitLab's name of a job's <c>when</c>.</summary>
    public static string WhenName(JobWhen? when) => when switch
    {
        JobWhen.OnFailure => "on_failure",
        JobWhen.Always => "always",
        JobWhen.Manual => "manual",
        JobWhen.Delayed => "delayed",
        _ => "on_success",
    };
}
