using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Web.Html;

/// <summary>
/// A pipeline's place among child and multi-project pipelines: the pipeline and bridge job that created it
/// ("Triggered by"), and a "Downstream" list of the pipelines its bridge jobs created, each with its bridge's
/// name, status and a link (newest last; a retried bridge shows each of its pipelines).
/// </summary>
internal static class DownstreamSection
{
    /// <summary>One end of a link: the pipeline, its project's path and the bridge job's name.</summary>
    public sealed record Linked(PipelineRecord Pipeline, string ProjectPath, string BridgeName);

    public static void Write(HtmlBuilder h, Linked? upstream, IReadOnlyList<Linked> downstream)
    {
        if (upstream is { } up)
        {
            h.Add($"<p class=\"upstream\">Triggered by <a href=\"/{up.ProjectPath}/-/pipelines/{up.Pipeline.Id}\">pipeline #{up.Pipeline.Id}</a> ");
            h.Add($"({up.ProjectPath}, job <strong>{up.BridgeName}</strong>) ");
            StatusBadge.Write(h, up.Pipeline.Status);
            h.Raw("</p>");
        }

        if (downstream.Count == 0)
        {
            return;
        }

        h.Raw("<section class=\"downstream\" aria-labelledby=\"downstream-title\"><h2 id=\"downstream-title\">Downstream</h2><ul>");
        foreach (var d in downstream)
        {
            h.Raw("<li>");
            StatusBadge.Write(h, d.Pipeline.Status);
            h.Add($" <strong>{d.BridgeName}</strong> → <a href=\"/{d.ProjectPath}/-/pipelines/{d.Pipeline.Id}\">{d.ProjectPath} #{d.Pipeline.Id}</a>");
            h.Raw("</li>");
        }

        h.Raw("</ul></section>");
    }

    /// <summary>The links of pipeline <paramref name="row"/> (of <paramref name="project"/>), read from the stores.</summary>
    public static async Task<(Linked? Upstream, IReadOnlyList<Linked> Downstream)> ReadAsync(
        IDownstreamStore links, IPipelineStore pipelines, IProjectStore projects, ProjectRecord project, PipelineRecord row, IReadOnlyList<JobRecord> jobs, CancellationToken cancel)
    {
        var paths = new Dictionary<long, string> { [project.Id] = project.Path };
        async Task<string> PathOfAsync(long projectId) =>
            paths.TryGetValue(projectId, out var known) ? known
                : paths[projectId] = (await projects.GetProjectAsync(projectId, cancel))?.Path ?? $"project {projectId}";

        Linked? upstream = null;
        if (await links.UpstreamOfAsync(row.Id, cancel) is { } up
            && await pipelines.GetPipelineAsync(up.PipelineId, cancel) is { } parent
            && await pipelines.GetJobAsync(up.BridgeJobId, cancel) is { } bridge)
        {
            upstream = new Linked(parent, await PathOfAsync(parent.ProjectId), bridge.Name);
        }

        var names = jobs.ToDictionary(j => j.Id, j => j.Name);
        var downstream = new List<Linked>();
        foreach (var link in await links.DownstreamOfAsync(names.Keys, cancel))
        {
            downstream.Add(new Linked(link.Pipeline, await PathOfAsync(link.Pipeline.ProjectId), names[link.BridgeJobId]));
        }

        return (upstream, downstream);
    }
}
