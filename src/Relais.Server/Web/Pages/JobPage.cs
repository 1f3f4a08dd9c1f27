using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage.Json;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Logs;

namespace Relais.Server.Web.Pages;

/// <summary>
/// One job (<c>/GROUP/PROJECT/-/jobs/ID</c>): status, runner, duration, attempts, artifacts, actions, and its log —
/// the last <see cref="LogTail.TailBytes"/> rendered on the server (a 50 MB log opens as fast as a small one), the
/// whole log at <c>…/raw</c>, and new lines pushed live by <see cref="JobLogStream"/> while it runs. A pending job of an
/// untrusted project says why it may wait: only runners that isolate jobs take it.
/// </summary>
internal sealed class JobPage(WebGuard guard, AuditLog auditLog, UserActions actions, ManualJobPlays plays, IPipelineStore pipelineStore, IRunnerStore runnerStore, IArtifactStore artifactStore, TraceStore traces, Queue.ProjectTrust trust, TimeProvider time)
{
    public const string Route = "/{group}/{name}/-/jobs/{jid:long}";

    /// <summary>The box saying what the job does to its environment (issue #16); none when not set.</summary>
    public Environments.JobEnvironmentBox? Environments { get; init; }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => ShowAsync(http, v, p, jid)));
        app.MapGet(Route + "/raw", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, async (v, p) =>
            {
                if (await Api.JobEndpoints.FindAsync(pipelineStore, p, jid, http.RequestAborted) is null)
                {
                    return Layout.NotFound(v, "Job");
                }

                http.Response.Headers.XContentTypeOptions = "nosniff";
                return traces.FileOf(jid) is { } file ? Results.File(file, "text/plain; charset=utf-8", enableRangeProcessing: true) : Results.Text("", "text/plain; charset=utf-8");
            }));
        foreach (var (path, action) in new[] { ("play", JobAction.Play), ("retry", JobAction.Retry), ("cancel", JobAction.Cancel) })
        {
            app.MapPost(Route + "/" + path, (HttpContext http, string group, string name, long jid) =>
                guard.ProjectPostAsync(http, group, name, (v, p, form) => ActAsync(http, v, p, jid, action, form)));
        }
    }

    /// <summary>The job if it belongs to the project.</summary>
    /// <summary>Acts, then goes back to <paramref name="returnTo"/> when it is a page of this project (the pipeline graph), else to the job shown (the new attempt after a retry).</summary>
    private async Task<IResult> ActAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long jid, JobAction action, IFormCollection form)
    {
        if (await Api.JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
        {
            return Layout.NotFound(viewer, "Job");
        }

        bool accepted;
        JobRecord shown;
        if (action == JobAction.Play)
        {
            // The play form's variables rows; rows left without a key are ignored.
            var values = form[PlayVariablesField + "[][value]"];
            var rows = form[PlayVariablesField + "[][key]"].Select((k, i) => (Key: (k ?? "").Trim(), Value: i < values.Count ? values[i] ?? "" : "", Type: (string?)null)).Where(r => r.Key.Length > 0);
            var (variables, error) = Api.PipelineVariablesInput.Build(rows, "variable");
            if (error is not null)
            {
                return Layout.Page(viewer, "Job not played", h => Layout.ErrorFlash(h, error), StatusCodes.Status400BadRequest, project, "pipelines");
            }

            (accepted, shown) = await plays.PlayAsync(job, variables, http.RequestAborted);
        }
        else
        {
            (accepted, shown) = await actions.OnJobAsync(job, action, http.RequestAborted);
        }

        string? returnTo = form["return_to"];
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), UserActions.AuditName(action), "Job", job.Id, job.Name, accepted ? "web" : "web, rejected");
        var back = WebSessions.SafeReturnPath(returnTo);
        return WebGuard.SeeOther(back.StartsWith($"/{project.Path}/-/", StringComparison.Ordinal) ? back : $"/{project.Path}/-/jobs/{shown.Id}");
    }

    private async Task<IResult> ShowAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long jid)
    {
        if (await Api.JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
        {
            return Layout.NotFound(viewer, "Job");
        }

        var (pipeline, state) = (await pipelineStore.GetPipelineStateAsync(job.PipelineId, http.RequestAborted))!;
        var attempt = state?.Jobs.FirstOrDefault(j => j.Name == job.Name && j.Attempt == job.Attempt);
        var attempts = (await pipelineStore.JobsOfPipelineAsync(job.PipelineId, http.RequestAborted)).Where(j => j.Name == job.Name).ToList();
        var runner = job.RunnerId is { } rid ? (await runnerStore.ListRunnersAsync(http.RequestAborted)).FirstOrDefault(r => r.Id == rid) : null;
        var archive = await artifactStore.FindArtifactAsync(job.Id, "archive", http.RequestAborted);
        var live = !job.Status.IsCompleted();
        var tail = await LogTail.TailAsync(traces.FileOf(jid), wholeLinesOnly: live, http.RequestAborted);
        var now = time.GetUtcNow();
        var waitsForIsolation = job.Status == CiStatus.Pending && !await trust.IsTrustedAsync(project, http.RequestAborted);
        var root = $"/{project.Path}/-/jobs/{jid}";
        var environment = Environments is null ? null : await Environments.ReadAsync(project, job, pipeline, state?.Plan.Job(job.Name), http.RequestAborted);
        return Layout.Page(viewer, $"{job.Name} (#{jid}) · {project.Path}", h =>
        {
            h.Add($"<h1>{job.Name} <small>#{jid}</small> ");
            StatusBadge.Write(h, job.Status);
            h.Raw("</h1>");
            var duration = attempt?.StartedAt is { } started ? (attempt.FinishedAt ?? now) - started : (TimeSpan?)null;
            h.Add($"""
                <dl class="facts"><dt>Pipeline</dt><dd><a href="/{project.Path}/-/pipelines/{job.PipelineId}">#{job.PipelineId}</a> on {pipeline.Ref}</dd>
                <dt>Stage</dt><dd>{job.Stage}</dd>
                <dt>Runner</dt><dd>{(runner is null ? "—" : $"#{runner.Id} {runner.Description}")}</dd>
                <dt>Duration</dt><dd>{Format.Duration(duration)}</dd>
                """);
            if (job.Status == CiStatus.Failed)
            {
                h.Add($"<dt>Failure</dt><dd>{job.FailureReason ?? FailureReasons.UnknownFailure}{(job.ExitCode is { } code ? $" (exit code {code})" : "")}</dd>");
            }

            h.Raw("<dt>Attempts</dt><dd>");
            foreach (var a in attempts)
            {
                if (a.Id == jid)
                {
                    h.Add($"<strong aria-current=\"page\">#{a.Attempt}</strong> ");
                }
                else
                {
                    h.Add($"<a href=\"/{project.Path}/-/jobs/{a.Id}\">#{a.Attempt}</a> ");
                }
            }

            h.Raw("</dd></dl>");
            if (waitsForIsolation)
            {
                h.Raw("<p class=\"flash\" role=\"status\">This project is not trusted, so its jobs run only on runners that isolate them (the docker executor, or a shell runner with <code>allow_untrusted</code>). Until such a runner asks for a job, this one waits. An administrator can mark the project trusted in its settings.</p>");
            }

            if (environment is not null)
            {
                Web.Environments.JobEnvironmentBox.Write(h, project, environment);
            }

            Actions(h, viewer, project, job, attempts.Max(a => a.Attempt), root);
            if (archive is not null)
            {
                h.Add($"<p class=\"artifacts\">Artifacts ({archive.Filename}, {Format.Size(archive.Size)}): <a href=\"{root}/artifacts/browse\">Browse</a> · <a href=\"{root}/artifacts/download\" download>Download</a></p>");
            }

            Log(h, root, tail, live);
        }, project: project, projectTab: "pipelines");
    }

    /// <summary>The form field the play form's variables rows use: the REST API's name (<c>job_variables_attributes</c>).</summary>
    private const string PlayVariablesField = "job_variables_attributes";

    /// <summary>GitLab's manual job form: a few key and value rows, played with the job (they win over every other variable).</summary>
    private static void PlayWithVariables(HtmlBuilder h, WebViewer viewer, string root)
    {
        h.Raw("<details class=\"play-variables\"><summary>Play with variables</summary>");
        h.Add($"<form method=\"post\" action=\"{root}/play\">");
        Layout.Csrf(h, viewer);
        for (var i = 1; i <= 3; i++)
        {
            h.Add($"<p><input name=\"{PlayVariablesField}[][key]\" placeholder=\"Key\" aria-label=\"Variable {i} key\"> <input name=\"{PlayVariablesField}[][value]\" placeholder=\"Value\" aria-label=\"Variable {i} value\"></p>");
        }

        h.Raw("<button type=\"submit\" class=\"button\">▶ Play with these variables</button></form></details>");
    }

    private static void Actions(HtmlBuilder h, WebViewer viewer, ProjectRecord project, JobRecord job, int latest, string root)
    {
        if (!viewer.Caller.CanWrite(project) || job.Attempt != latest)
        {
            return;
        }

        h.Raw("<div class=\"actions\">");
        switch (job.Status)
        {
            case CiStatus.Manual:
                Layout.ActionButton(h, viewer, root + "/play", "▶ Play", "Play " + job.Name);
                PlayWithVariables(h, viewer, root);
                break;
            case CiStatus.Failed or CiStatus.Canceled or CiStatus.Success:
                Layout.ActionButton(h, viewer, root + "/retry", "↻ Retry", "Retry " + job.Name);
                break;
            case CiStatus.Pending or CiStatus.Running or CiStatus.Created or CiStatus.WaitingForResource:
                Layout.ActionButton(h, viewer, root + "/cancel", "⊘ Cancel", "Cancel " + job.Name, "button danger");
                break;
            default:
                break;
        }

        h.Raw("</div>");
    }

    private static void Log(HtmlBuilder h, string root, LogTail.Part tail, bool live)
    {
        h.Add($"<section class=\"log-section\" aria-labelledby=\"log-title\"><div class=\"log-bar\"><h2 id=\"log-title\">Log</h2> <a href=\"{root}/raw\">Full raw log</a> · <a href=\"#log-end\" class=\"jump-end\">Jump to the end</a></div>");
        if (tail.Truncated)
        {
            h.Add($"<p class=\"log-note\">Showing the last {Format.Size(tail.End - tail.Start)} of {Format.Size(tail.Length)}. <a href=\"{root}/raw\">The full raw log</a> has the rest.</p>");
        }

        var rendered = new StringBuilder(tail.Bytes.Length + (tail.Bytes.Length / 2));
        var renderer = new LogRenderer();
        renderer.Render(tail.Bytes, tail.Start, rendered);
        var sections = renderer.OpenSections;
        var stream = live ? $" data-stream=\"{root}/trace_stream?offset={tail.End}{(sections.Length > 0 ? "&amp;sections=" + Uri.EscapeDataString(sections) : "")}\"" : "";
        h.Add($"<div class=\"log\" id=\"log\" tabindex=\"0\" aria-label=\"Job log\"{new RawHtml(stream)}>");
        h.Raw(rendered.ToString());
        h.Raw("</div>");
        h.Add($"<p id=\"log-end\" class=\"log-end\" aria-live=\"polite\">{(live ? "The job is running; new lines appear as they arrive." : "End of the log.")}</p></section>");
    }
}
