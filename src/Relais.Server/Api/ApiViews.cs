using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Protocol;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Api;

/// <summary>Turns stored rows (and the engine state they project) into GitLab's v4 JSON objects.</summary>
internal static class ApiViews
{
    public static UserView User(UserRecord user, string externalUrl) =>
        new(user.Id, user.Username, user.Username == "root" ? "Administrator" : user.Username, "active", user.IsAdmin, null, externalUrl + "/" + user.Username);

    /// <summary>
    /// A project; <paramref name="ns"/> is its namespace as <see cref="NamespaceDirectory"/> finds it (without it, one
    /// guessed from the path: nested is a group's, top-level a user's, id 0).
    /// </summary>
    public static ProjectView Project(ProjectRecord p, CloneUrls urls, NamespaceView? ns = null)
    {
        var web = urls.Web(p);
        var last = p.Namespace[(p.Namespace.LastIndexOf('/') + 1)..];
        ns ??= new NamespaceView(0, last, last, p.Namespace.Contains('/', StringComparison.Ordinal) ? "group" : "user", p.Namespace);
        var created = ApiJson.Time(p.CreatedAt);
        return new ProjectView(p.Id, null, p.Name, p.Namespace + " / " + p.Name, p.Name, p.Path, created, p.DefaultBranch, p.Visibility, web, urls.Http(p), urls.Ssh(p), ns, created, false, p.Trusted);
    }

    public static PipelineView Pipeline(PipelineRecord p, ProjectRecord project, string externalUrl) =>
        new(p.Id, p.Id, p.ProjectId, p.Sha, p.Ref, p.Status.ToGitLab(), SourceOf(p), ApiJson.Time(p.CreatedAt), ApiJson.Time(p.UpdatedAt), PipelineUrl(p, project, externalUrl), p.Name);

    public static PipelineDetailView PipelineDetail(PipelineSnapshot snapshot, ProjectRecord project, string externalUrl, UserView? user)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var (p, state) = snapshot;
        var context = string.IsNullOrEmpty(p.ContextJson) ? null : StateJson.ReadContext(p.ContextJson);
        var first = state?.Jobs.Where(j => j.QueuedAt is not null).Select(j => j.QueuedAt).Min();
        return new PipelineDetailView(
            p.Id, p.Id, p.ProjectId, p.Sha, p.Ref, p.Status.ToGitLab(), SourceOf(p), ApiJson.Time(p.CreatedAt), ApiJson.Time(p.UpdatedAt), PipelineUrl(p, project, externalUrl),
            context?.BeforeSha ?? new string('0', 40),
            context?.IsTag ?? false,
            YamlErrors(p.DiagnosticsJson),
            user,
            ApiJson.Time(state?.StartedAt),
            ApiJson.Time(state?.FinishedAt),
            ApiJson.Time(context?.CommitTimestamp),
            ApiJson.Seconds(state is { StartedAt: { } s, FinishedAt: { } f } ? f - s : null),
            ApiJson.Seconds(state?.StartedAt is { } started && first is { } queued ? started - queued : null),
            null,
            p.Name,
            DetailedStatusNames.Of(p.Status, DetailedStatusNames.HasWarnings(state), $"/{project.Path}/-/pipelines/{p.Id}"));
    }

    public static RunnerView Runner(RunnerRecord r, DateTimeOffset now)
    {
        var contacted = DateTimeOffset.TryParse(r.ContactedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        var online = contacted is { } c && now - c < TimeSpan.FromHours(2);
        var status = r.Paused ? "paused" : contacted is null ? "never_contacted" : online ? "online" : "offline";
        return new RunnerView(r.Id, r.Description, null, !r.Paused, r.Paused, true, "instance_type", r.Description, online, status, r.TagList, r.RunUntagged, false, ApiJson.Time(contacted));
    }

    public static VariableView Variable(VariableRecord v) => new(v.VariableType, v.Key, v.Value, v.Protected, v.Masked, v.Raw, "*", null);

    private static string PipelineUrl(PipelineRecord p, ProjectRecord project, string externalUrl) =>
        $"{externalUrl}/{project.Path}/-/pipelines/{p.Id}";

    /// <summary>GitLab's name of what started the pipeline (<c>push</c>, <c>api</c>, <c>merge_request_event</c>, …): its column, else its stored context.</summary>
    internal static string SourceOf(PipelineRecord p) =>
        p.Source is { Length: > 0 } stored ? stored
        : string.IsNullOrEmpty(p.ContextJson) ? PipelineSource.Push.ToName() : StateJson.ReadContext(p.ContextJson).Source.ToName();

    /// <summary>GitLab's <c>yaml_errors</c>: the configuration's error messages as one string (null when it compiled).</summary>
    internal static string? YamlErrors(string? diagnosticsJson)
    {
        if (string.IsNullOrEmpty(diagnosticsJson))
        {
            return null;
        }

        var errors = StateJson.ReadDiagnostics(diagnosticsJson).Where(d => d.Severity == Relais.Pipelines.Diagnostics.Severity.Error).Select(d => d.Message).ToList();
        return errors.Count == 0 ? null : string.Join(", ", errors);
    }
}

/// <summary>Makes a <see cref="JobViewBuilder"/> per call from the stores and the external URL it reads.</summary>
internal sealed class JobViews(IPipelineStore pipelineStore, IRunnerStore runnerStore, IArtifactStore artifactStore, string externalUrl, TimeProvider time)
{
    /// <summary>A builder for the jobs of <paramref name="project"/> as <paramref name="caller"/> sees them.</summary>
    public JobViewBuilder Builder(ProjectRecord project, ApiCaller caller) => new(pipelineStore, runnerStore, artifactStore, externalUrl, time, project, caller);
}

/// <summary>
/// Builds job objects: the row (id, runner) joined with the engine's <see cref="JobState"/> of that attempt (times,
/// allow_failure) and its pipeline. Pipelines and runners are read once per call.
/// </summary>
internal sealed class JobViewBuilder(
    IPipelineStore pipelineStore, IRunnerStore runnerStore, IArtifactStore artifactStore, string externalUrl, TimeProvider time, ProjectRecord project, ApiCaller caller)
{
    private readonly Dictionary<long, (PipelineRecord Row, PipelineState? State)> _pipelines = [];
    private IReadOnlyList<RunnerRecord>? _runners;

    public async Task<JobView> BuildAsync(JobRecord job, bool retried, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_pipelines.TryGetValue(job.PipelineId, out var pipeline))
        {
            var snapshot = await pipelineStore.GetPipelineStateAsync(job.PipelineId, cancel) ?? throw new InvalidOperationException($"pipeline {job.PipelineId} is gone");
            pipeline = (snapshot.Row, snapshot.State);
            _pipelines[job.PipelineId] = pipeline;
        }

        var state = pipeline.State?.Jobs.FirstOrDefault(j => j.Name == job.Name && j.Attempt == job.Attempt);
        RunnerView? runner = null;
        if (job.RunnerId is { } runnerId)
        {
            _runners ??= await runnerStore.ListRunnersAsync(cancel);
            runner = _runners.FirstOrDefault(r => r.Id == runnerId) is { } r ? ApiViews.Runner(r, time.GetUtcNow()) : null;
        }

        var archive = await artifactStore.FindArtifactAsync(job.Id, "archive", cancel);
        var url = externalUrl;
        var p = pipeline.Row;
        var duration = state?.StartedAt is { } started ? (state.FinishedAt ?? time.GetUtcNow()) - started : (TimeSpan?)null;
        return new JobView(
            job.Id,
            job.Name,
            job.Stage,
            job.Status.ToGitLab(),
            p.Ref,
            state is not null && StateJson.ReadContext(p.ContextJson).IsTag,
            null,
            state?.AllowFailure ?? false,
            ApiJson.Time(state?.CreatedAt),
            ApiJson.Time(state?.StartedAt),
            ApiJson.Time(state?.FinishedAt),
            null,
            ApiJson.Seconds(duration),
            ApiJson.Seconds(state is { StartedAt: { } st, QueuedAt: { } q } ? st - q : null),
            caller.User is { } u ? ApiViews.User(u, url) : null,
            new JobPipelineView(p.Id, p.Id, p.ProjectId, p.Ref, p.Sha, p.Status.ToGitLab(), ApiViews.SourceOf(p), $"{url}/{project.Path}/-/pipelines/{p.Id}"),
            $"{url}/{project.Path}/-/jobs/{job.Id}",
            archive is null ? null : new ArtifactsFileView(archive.Filename, archive.Size),
            runner,
            Tags.Split(job.Tags),
            job.Status == CiStatus.Failed ? job.FailureReason ?? FailureReasons.UnknownFailure : null,
            retried,
            false);
    }
}
