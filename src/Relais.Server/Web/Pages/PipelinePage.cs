using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Engine;
using Relais.Pipelines.Diagnostics;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage.Json;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// One pipeline (<c>/GROUP/PROJECT/-/pipelines/ID</c>): its jobs by stage with their <c>needs</c> (<see cref="PipelineGraph"/>),
/// cancel and retry of the pipeline, play and retry of jobs (through <see cref="UserActions"/>, as the REST API),
/// the compiler's diagnostics when the configuration was invalid, outside systems' commit statuses under "External", and
/// the pipeline that triggered it and the ones it triggered (<see cref="DownstreamSection"/>).
/// </summary>
internal sealed class PipelinePage(WebGuard guard, AuditLog auditLog, UserActions actions, IPipelineStore pipelineStore, ICommitStatusStore commitStatuses, TimeProvider time)
{
    /// <summary>Where the links of child and multi-project pipelines are read (set where the page is built).</summary>
    public required (IDownstreamStore Links, IProjectStore Projects) Downstream { get; init; }

    /// <summary>The section listing the jobs' environments (issue #16); none when not set.</summary>
    public Environments.PipelineEnvironmentsSection? Environments { get; init; }

    private const string Route = "/{group}/{name}/-/pipelines/{pid:long}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group, string name, long pid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => ShowAsync(v, p, pid, http.RequestAborted)));
        app.MapPost(Route + "/cancel", (HttpContext http, string group, string name, long pid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => ActAsync(http, v, p, pid, PipelineAction.Cancel)));
        app.MapPost(Route + "/retry", (HttpContext http, string group, string name, long pid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => ActAsync(http, v, p, pid, PipelineAction.Retry)));
    }

    private async Task<IResult> ActAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long pid, PipelineAction action)
    {
        if (await pipelineStore.GetPipelineAsync(pid, http.RequestAborted) is not { } row || row.ProjectId != project.Id)
        {
            return Layout.NotFound(viewer, "Pipeline");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), UserActions.AuditName(action), "Pipeline", row.Id, null, "web");
        await actions.OnPipelineAsync(row, action);
        return WebGuard.SeeOther($"/{project.Path}/-/pipelines/{pid}");
    }

    private async Task<IResult> ShowAsync(WebViewer viewer, ProjectRecord project, long pid, CancellationToken cancel)
    {
        if (await pipelineStore.GetPipelineStateAsync(pid, cancel) is not { } snapshot || snapshot.Row.ProjectId != project.Id)
        {
            return Layout.NotFound(viewer, "Pipeline");
        }

        var (row, state) = snapshot;
        var context = string.IsNullOrEmpty(row.ContextJson) ? null : StateJson.ReadContext(row.ContextJson);
        var jobs = state is null ? [] : await pipelineStore.JobsOfPipelineAsync(pid, cancel);
        var external = await commitStatuses.ListForPipelineAsync(pid, cancel);
        var environments = Environments is null || state is null ? [] : await Environments.ReadAsync(project, row, state, jobs, cancel);
        var (upstream, downstream) = await DownstreamSection.ReadAsync(Downstream.Links, pipelineStore, Downstream.Projects, project, row, jobs, cancel);
        var now = time.GetUtcNow();
        var canWrite = viewer.Caller.CanWrite(project);
        var active = state?.CurrentJobs.Any(j => j.Status.IsActive() || j.Status is CiStatus.Created or CiStatus.Canceling or CiStatus.Scheduled) == true;
        return Layout.Page(viewer, $"Pipeline #{pid} · {project.Path}", h =>
        {
            // While jobs move, relais.js re-reads this page every few seconds and swaps this region in place.
            h.Add($"<div id=\"live\"{new RawHtml(active ? " data-refresh=\"3\"" : "")}>");
            h.Add($"<h1>Pipeline #{pid} ");
            StatusBadge.Write(h, row.Status);
            h.Raw("</h1>");
            var duration = state?.StartedAt is { } started ? (state.FinishedAt ?? now) - started : (TimeSpan?)null;
            h.Add($"""
                <dl class="facts"><dt>Ref</dt><dd><a href="/{project.Path}/-/pipelines?ref={Uri.EscapeDataString(row.Ref)}">{row.Ref}</a></dd>
                <dt>Commit</dt><dd><code>{row.Sha}</code></dd>
                <dt>Source</dt><dd>{context?.Source.ToString().ToLowerInvariant() ?? "push"}</dd>
                <dt>Duration</dt><dd>{Format.Duration(duration)}</dd>
                <dt>Created</dt><dd><time datetime="{Format.Iso(Format.Parse(row.CreatedAt))}">{Format.Age(Format.Parse(row.CreatedAt), now)}</time></dd></dl>
                """);
            DownstreamSection.Write(h, upstream, []);
            if (!string.IsNullOrEmpty(context?.CommitMessage))
            {
                h.Add($"<p class=\"commit-message\">{context.CommitMessage.Split('\n')[0]}</p>");
            }

            if (canWrite && state is not null)
            {
                h.Raw("<div class=\"actions\">");
                if (state.CurrentJobs.Any(j => j.Status.IsCancelable()))
                {
                    Layout.ActionButton(h, viewer, $"/{project.Path}/-/pipelines/{pid}/cancel", "Cancel pipeline", css: "button danger");
                }

                if (state.CurrentJobs.Any(j => j.Status is CiStatus.Failed or CiStatus.Canceled))
                {
                    Layout.ActionButton(h, viewer, $"/{project.Path}/-/pipelines/{pid}/retry", "Retry failed jobs");
                }

                h.Raw("</div>");
            }

            if (row.DiagnosticsJson is { } diagnostics)
            {
                Diagnostics(h, StateJson.ReadDiagnostics(diagnostics));
            }

            if (state is not null)
            {
                PipelineGraph.Write(h, new PipelineGraph.Input(project, state, jobs, viewer, canWrite, now));
            }

            Web.Environments.PipelineEnvironmentsSection.Write(h, project, environments);
            DownstreamSection.Write(h, null, downstream);
            ExternalStatuses.Write(h, external);

            h.Raw("</div>");
        }, project: project, projectTab: "pipelines");
    }

    private static void Diagnostics(HtmlBuilder h, IReadOnlyList<Diagnostic> diagnostics)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        h.Raw("<section class=\"diagnostics\" aria-labelledby=\"diag-title\"><h2 id=\"diag-title\">This pipeline's configuration is invalid</h2><ul>");
        foreach (var d in diagnostics)
        {
            var error = d.Severity == Severity.Error;
            h.Add($"<li class=\"{(error ? "diag-error" : "diag-warning")}\"><strong><span aria-hidden=\"true\">{(error ? "✗" : "⚠")}</span> {(error ? "error" : "warning")}</strong> ");
            if (!d.Location.IsNone)
            {
                h.Add($"<code>{d.Location.ToString()}</code> ");
            }

            h.Add($"{d.Message} <small>[{d.Code}]</small></li>");
        }

        h.Raw("</ul></section>");
    }
}
