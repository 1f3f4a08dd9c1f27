using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;

namespace Relais.Runner.Tests.Agent;

/// <summary>One request the coordinator saw.</summary>
public sealed record Recorded(string Method, string Path, int Status, string? ContentRange, int BodyBytes);

/// <summary>What the coordinator knows of one job.</summary>
public sealed class CoordinatorJob
{
    public required JobResponse Payload { get; init; }

    public MemoryStream Trace { get; } = new();

    public string Status { get; set; } = "running";

    public List<UpdateJobRequest> Updates { get; } = [];

    public Dictionary<string, byte[]> Artifacts { get; } = [];

    public TaskCompletionSource<UpdateJobRequest> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Text
    {
        get
        {
            lock (this)
            {
                return Encoding.UTF8.GetString(Trace.ToArray());
            }
        }
    }
}

/// <summary>
/// A small runner API v4 server for the agent's tests, on Kestrel at 127.0.0.1 and a random port. It hands out queued
/// jobs (holding job requests briefly, like long polling), keeps traces with GitLab's offset rule (416 with
/// <c>Range</c> on a mismatch), records every request, and can be scripted: fail calls with 502, lose trace bytes,
/// cancel a job through <c>Job-Status</c>, answer the final update with 202 first.
/// </summary>
public sealed class ScriptedCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<JobResponse> _queue = Channel.CreateUnbounded<JobResponse>();
    private readonly ConcurrentQueue<Recorded> _requests = new();
    private int _version;

    private ScriptedCoordinator(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public string RunnerToken { get; } = "glrt-coordinator-test-token";

    public ConcurrentDictionary<long, CoordinatorJob> Jobs { get; } = new();

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    public TimeSpan Hold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Answers this many of the next calls (any endpoint but verify) with 502.</summary>
    public int Fail502 { get; set; }

    /// <summary>Answers this many of the next trace patches with 502 (the coordinator restarting while updates get through).</summary>
    public int FailTrace502 { get; set; }

    /// <summary>Answers this many final updates with 202 before accepting.</summary>
    public int Accept202 { get; set; }

    /// <summary>When set, the next trace patch first drops the stored trace to this length (as if chunks were lost).</summary>
    public long? LoseTraceTo { get; set; }

    public static async Task<ScriptedCoordinator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var coordinator = new ScriptedCoordinator(builder.Build());
        coordinator.Map();
        await coordinator._app.StartAsync();
        coordinator.Url = new Uri(coordinator._app.Urls.First());
        return coordinator;
    }

    public void Enqueue(JobResponse job)
    {
        Jobs[job.Id] = new CoordinatorJob { Payload = job };
        Interlocked.Increment(ref _version);
        _queue.Writer.TryWrite(job);
    }

    public void SetStatus(long jobId, string status) => Jobs[jobId].Status = status;

    public async Task<UpdateJobRequest> FinalAsync(long jobId, int seconds = 20) =>
        await Jobs[jobId].Final.Task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public async Task WaitForTraceAsync(long jobId, string text, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!Jobs[jobId].Text.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, $"the trace never showed `{text}`; it is:\n{Jobs[jobId].Text}");
            await Task.Delay(20);
        }
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path != "/api/v4/runners/verify" && Fail502 > 0)
            {
                Fail502--;
                context.Response.StatusCode = 502;
            }
            else if (path.EndsWith("/trace", StringComparison.Ordinal) && FailTrace502 > 0)
            {
                FailTrace502--;
                context.Response.StatusCode = 502;
            }
            else
            {
                await next(context);
            }

            _requests.Enqueue(new Recorded(context.Request.Method, path, context.Response.StatusCode,
                context.Request.Headers["Content-Range"].FirstOrDefault(), (int)(context.Request.ContentLength ?? 0)));
        });

        _app.MapPost("/api/v4/runners/verify", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            return body.RootElement.GetProperty("token").GetString() == RunnerToken
                ? Results.Json(new { id = 1, token = RunnerToken, token_expires_at = (string?)null })
                : Results.Json(new { message = "403 Forbidden" }, statusCode: 403);
        });

        _app.MapPost("/api/v4/jobs/request", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            if (body.RootElement.GetProperty("token").GetString() != RunnerToken)
            {
                return Results.Json(new { message = "403 Forbidden" }, statusCode: 403);
            }

            using var hold = CancellationTokenSource.CreateLinkedTokenSource(c.RequestAborted);
            hold.CancelAfter(Hold);
            try
            {
                var job = await _queue.Reader.ReadAsync(hold.Token);
                return Results.Text(ProtocolJson.Write(job), "application/json", Encoding.UTF8, 201);
            }
            catch (OperationCanceledException)
            {
                c.Response.Headers["X-GitLab-Last-Update"] = _version.ToString(CultureInfo.InvariantCulture);
                c.Response.Headers["Gitlab-Ci-Builds-Polling"] = "yes";
                return Results.NoContent();
            }
        });

        _app.MapPut("/api/v4/jobs/{id:long}", async (long id, HttpContext c) =>
        {
            var update = await JsonSerializer.DeserializeAsync(c.Request.Body, ProtocolJsonContext.Default.UpdateJobRequest);
            var job = Jobs[id];
            if (c.Request.Headers["JOB-TOKEN"] != job.Payload.Token || update!.Token != job.Payload.Token)
            {
                return Results.StatusCode(403);
            }

            c.Response.Headers["Job-Status"] = job.Status;
            lock (job)
            {
                job.Updates.Add(update);
            }

            if (update.State is JobStates.Success or JobStates.Failed)
            {
                if (Accept202 > 0)
                {
                    Accept202--;
                    c.Response.Headers["X-GitLab-Trace-Update-Interval"] = "1";
                    return Results.StatusCode(202);
                }

                job.Final.TrySetResult(update);
            }

            return Results.Text("200", "text/plain", statusCode: 200);
        });

        _app.MapMethods("/api/v4/jobs/{id:long}/trace", ["PATCH"], async (long id, HttpContext c) =>
        {
            var job = Jobs[id];
            var range = c.Request.Headers["Content-Range"].FirstOrDefault() ?? "";
            var start = long.Parse(range.Split('-')[0], CultureInfo.InvariantCulture);
            using var buffer = new MemoryStream();
            await c.Request.Body.CopyToAsync(buffer);
            c.Response.Headers["Job-Status"] = job.Status;
            lock (job)
            {
                if (LoseTraceTo is { } keep)
                {
                    job.Trace.SetLength(Math.Min(keep, job.Trace.Length));
                    LoseTraceTo = null;
                }

                if (start != job.Trace.Length)
                {
                    c.Response.Headers["Range"] = $"0-{job.Trace.Length}";
                    return Results.StatusCode(416);
                }

                job.Trace.Position = job.Trace.Length;
                buffer.Position = 0;
                buffer.CopyTo(job.Trace);
                c.Response.Headers["Range"] = $"0-{job.Trace.Length}";
            }

            return Results.StatusCode(202);
        });

        _app.MapPost("/api/v4/jobs/{id:long}/artifacts", async (long id, HttpContext c) =>
        {
            var form = await c.Request.ReadFormAsync();
            var file = form.Files["file"]!;
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            Jobs[id].Artifacts[$"{c.Request.Query["artifact_type"]}/{file.FileName}"] = buffer.ToArray();
            return Results.Text("201", "text/plain", statusCode: 201);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
