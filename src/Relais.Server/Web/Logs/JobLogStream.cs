using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Storage;
using Relais.Server.Web.Pages;

namespace Relais.Server.Web.Logs;

/// <summary>
/// <c>GET …/-/jobs/ID/trace_stream?offset=N</c>: Server-Sent Events carrying a running job's new log lines as
/// rendered HTML (<c>event: lines</c>, <c>id:</c> the byte offset after them, so a reconnect resumes with
/// <c>Last-Event-ID</c>), then <c>event: end</c> with the job's final status once it has finished and every
/// byte was sent. The trace file is polled (cheap: one file length check per tick); one renderer per stream keeps
/// colours and sections across events.
/// </summary>
internal sealed class JobLogStream(WebGuard guard, IPipelineStore pipelineStore, TraceStore traces, TimeProvider time)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(JobPage.Route + "/trace_stream", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, async (v, p) =>
            {
                if (await Api.JobEndpoints.FindAsync(pipelineStore, p, jid, http.RequestAborted) is null)
                {
                    return Html.Layout.NotFound(v, "Job");
                }

                await StreamAsync(http, jid, StartOffset(http.Request), LogRenderer.Resume(http.Request.Query["sections"]));
                return Results.Empty;
            }));
    }

    private static long StartOffset(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } last ? last : request.Query["offset"].ToString();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
    }

    private async Task StreamAsync(HttpContext http, long jobId, long offset, LogRenderer renderer)
    {
        // Ends with the request, or when the server stops (Kestrel would otherwise wait for open streams on shutdown).
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var cancel = both.Token;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancel);
        var html = new StringBuilder();
        var lastCheck = 0L; // timestamp of the last status check; 0 checks at once
        var lastWrite = time.GetTimestamp();
        var finished = false;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                // Decide "finished" before reading, so bytes written just before the job ended are still sent.
                if (!finished && time.GetElapsedTime(lastCheck) >= StatusEvery)
                {
                    var job = await pipelineStore.GetJobAsync(jobId, http.RequestAborted);
                    finished = job is null || job.Status.IsCompleted();
                    lastCheck = time.GetTimestamp();
                }

                var part = await LogTail.SinceAsync(traces.FileOf(jobId), offset, wholeLinesOnly: !finished, cancel);
                if (part.Bytes.Length > 0)
                {
                    html.Clear();
                    renderer.Render(part.Bytes, part.Start, html);
                    offset = part.End;
                    await WriteAsync(response, "lines", offset, html.ToString(), cancel);
                    lastWrite = time.GetTimestamp();
                    continue;
                }

                if (finished)
                {
                    var status = (await pipelineStore.GetJobAsync(jobId, http.RequestAborted))?.Status.ToGitLab() ?? "unknown";
                    await WriteAsync(response, "end", offset, status, cancel);
                    return;
                }

                if (time.GetElapsedTime(lastWrite) > Heartbeat)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancel);
                    await response.Body.FlushAsync(cancel);
                    lastWrite = time.GetTimestamp();
                }

                await Task.Delay(Tick, time, cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The viewer went away, or the server is stopping (the browser reconnects with Last-Event-ID).
        }
    }

    /// <summary>One event. The rendered HTML has no line breaks (lines are elements), so it fits one <c>data:</c> line.</summary>
    private static async Task WriteAsync(HttpResponse response, string name, long offset, string data, CancellationToken cancel)
    {
        var text = $"event: {name}\nid: {offset.ToString(CultureInfo.InvariantCulture)}\ndata: {data.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal)}\n\n";
        await response.WriteAsync(text, cancel);
        await response.Body.FlushAsync(cancel);
    }
}
