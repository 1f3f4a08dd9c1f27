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
        return new ProjectView(p.Id, null, p.Name, p.Namespace + " / " + p.Name, p.Name, p.Path, created, p.DefaultBranch, p.Visibility, web, urls.Http(p), urls.Ssh(p), ns, created, false, p.Trusted, p.SharedRunnersEnabled);
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
        var contacted = RunnerStatus.ContactedAt(r);
        return new RunnerView(
            r.Id, r.Description, null, !r.Paused, r.Paused, r.RunnerType == RunnerTypes.Instance, r.RunnerType, r.Description, RunnerStatus.IsOnline(r, now),
            RunnerStatus.Of(r, now), r.TagList, r.RunUntagged, r.Locked, ApiJson.Time(contacted));
    }

    public static VariableView Variable(VariableRecord v) => new(v.VariableType, v.Key, v.Value, v.Protected, v.Masked, v.Raw, v.EnvironmentScope, v.Description);

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
