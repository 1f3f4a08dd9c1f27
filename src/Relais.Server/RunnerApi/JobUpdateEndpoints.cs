using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Protocol.Requests;
using Relais.Server.Logs;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>
/// A runner's reports on its job: <c>PUT /api/v4/jobs/:id</c> (state → engine event; <c>Job-Status</c> tells it
/// about a cancel) and <c>PATCH /api/v4/jobs/:id/trace</c> (append at the current length, else 416; past the log's
/// size limit the log is cut with a note and the job fails with <c>trace_size_exceeded</c>, 403 as GitLab answers).
/// A job with <c>release:</c> that reports success first creates its release (<see cref="Releases"/>), and fails
/// (<c>script_failure</c>, exit code 1, as release-cli failing) when it cannot.
/// </summary>
internal sealed class JobUpdateEndpoints(ServerOptions options, JobAccess jobAccess, IPipelineStore pipelineStore, PipelineDriver driver, TraceStore traces, TimeProvider time)
{
    /// <summary>What runs the <c>release:</c> keyword of a successful job; null: the keyword is ignored.</summary>
    public Pipelines.Releases.ReleaseKeyword? Releases { get; init; }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPut("/api/v4/jobs/{id:long}", (HttpContext http, long id) => UpdateAsync(http, id));
        app.MapMethods("/api/v4/jobs/{id:long}/trace", ["PATCH"], (HttpContext http, long id) => AppendTraceAsync(http, id));
    }

    private async Task<IResult> UpdateAsync(HttpContext http, long id)
    {
        UpdateJobRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, ProtocolJsonContext.Default.UpdateJobRequest, http.RequestAborted);
        }
        catch (JsonException)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest);
        }

        var (job, denied) = await jobAccess.CheckAsync(http, id, body?.Token);
        if (denied is not null || job is null || body is null)
        {
            return denied ?? ApiResults.Error(StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow();
        PipelineEvent? e = body.State switch
        {
            JobStates.Running => null,
            JobStates.Success => JobFinished.Success(now, job.Name, job.Attempt),
            JobStates.Failed => new JobFinished(now, job.Name, job.Attempt, false, body.ExitCode, KnownReason(body.FailureReason)),
            _ => new TimePassed(now),
        };
        if (e is TimePassed)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - unknown state");
        }

        if (e is JobFinished { Succeeded: true } && job.IsProcessing && Releases is not null && !await Releases.RunAsync(http, job))
        {
            e = new JobFinished(now, job.Name, job.Attempt, false, 1, FailureReasons.ScriptFailure);
        }

        if (e is not null)
        {
            await driver.ApplyAsync(job.PipelineId, e);
        }

        var after = await pipelineStore.GetJobAsync(id, http.RequestAborted);
        http.Response.Headers["Job-Status"] = (after?.Status ?? job.Status).ToGitLab();
        http.Response.Headers["X-GitLab-Trace-Update-Interval"] = UpdateInterval(options);
        return ApiResults.Code(StatusCodes.Status200OK);
    }

    /// <summary>How often a runner should report: <see cref="ServerOptions.JobUpdateInterval"/>, or a third of the
    /// heartbeat timeout when that is shorter, so a quiet job is never taken for a dead one.</summary>
    private static string UpdateInterval(ServerOptions options) =>
        Math.Clamp((int)Math.Min(options.JobUpdateInterval.TotalSeconds, options.JobHeartbeatTimeout.TotalSeconds / 3), 1, 30)
            .ToString(CultureInfo.InvariantCulture);

    private static string KnownReason(string? reason) =>
        reason is not null && FailureReasons.All.Contains(reason) ? reason : FailureReasons.UnknownFailure;

    private async Task<IResult> AppendTraceAsync(HttpContext http, long id)
    {
        var (job, denied) = await jobAccess.CheckAsync(http, id);
        if (denied is not null || job is null)
        {
            return denied!;
        }

        var range = http.Request.Headers.ContentRange.ToString();
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(range.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - missing or invalid Content-Range");
        }

        TraceAppendOutcome outcome;
        long length;
        try
        {
            (outcome, length) = await traces.AppendAsync(id, start, http.Request.Body, http.RequestAborted);
        }
        catch (IOException e) when (Security.DiskFull.Is(e))
        {
            // The log cannot be kept whole, so the job fails, saying why; its runner learns it from Job-Status.
            await driver.ApplyAsync(job.PipelineId, new JobFinished(time.GetUtcNow(), job.Name, job.Attempt, false, null, Security.StorageFailure.Reason));
            http.Response.Headers["Job-Status"] = ((await pipelineStore.GetJobAsync(id, http.RequestAborted))?.Status ?? job.Status).ToGitLab();
            return ApiResults.Error(StatusCodes.Status507InsufficientStorage, Security.HostileInputGuard.StorageFull);
        }

        http.Response.Headers["Range"] = "0-" + length.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Job-Status"] = job.Status.ToGitLab();
        if (outcome == TraceAppendOutcome.WrongStart)
        {
            return ApiResults.Code(StatusCodes.Status416RangeNotSatisfiable);
        }

        if (outcome is TraceAppendOutcome.Cut or TraceAppendOutcome.Full)
        {
            // GitLab drops a job whose log passed the limit (trace_size_exceeded) and answers 403; the runner stops it.
            await driver.ApplyAsync(job.PipelineId, new JobFinished(time.GetUtcNow(), job.Name, job.Attempt, false, null, FailureReasons.TraceSizeExceeded));
            http.Response.Headers["Job-Status"] = ((await pipelineStore.GetJobAsync(id, http.RequestAborted))?.Status ?? job.Status).ToGitLab();
            return ApiResults.Error(
                StatusCodes.Status403Forbidden,
                $"403 Forbidden - Job's log exceeded limit of {traces.MaxLength.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        http.Response.Headers["X-GitLab-Trace-Update-Interval"] = UpdateInterval(options);
        return ApiResults.Code(StatusCodes.Status202Accepted);
    }
}
