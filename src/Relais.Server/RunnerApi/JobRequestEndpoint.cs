using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Auth;
using Relais.Server.Queue;
using Relais.Server.Reliability;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>
/// <c>POST /api/v4/jobs/request</c>: 201 with a job payload the moment one matches, or 204 with
/// <c>X-GitLab-Last-Update</c> after holding the request for <see cref="ServerOptions.LongPoll"/>.
/// </summary>
internal sealed class JobRequestEndpoint(TimeSpan longPoll, IRunnerStore runnerStore, JobQueue queue, QueueSignal signal, JobHeartbeats heartbeats, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v4/jobs/request", (Func<HttpContext, Task<IResult>>)(http => HandleAsync(http)));

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        Protocol.Requests.JobRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, ProtocolJsonContext.Default.JobRequest, http.RequestAborted);
        }
        catch (JsonException)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest);
        }

        var token = RequestTokens.Runner(http.Request, body?.Token);
        if (token is null)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        if (await RunnerEndpoints.RunnerOfAsync(http, runnerStore, token, time.GetUtcNow()) is not { } runner)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        var job = runner.Paused ? null : await queue.WaitAsync(runner, body?.Info, longPoll, http.RequestAborted);
        if (job is null)
        {
            http.Response.Headers["X-GitLab-Last-Update"] = signal.Version.ToString(CultureInfo.InvariantCulture);
            return Results.NoContent();
        }

        heartbeats.Started(job.Id); // its start time is its first heartbeat: no write on its first report
        return Results.Text(ProtocolJson.Write(job), "application/json", statusCode: StatusCodes.Status201Created);
    }
}
