using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Auth;

namespace Relais.Server.RunnerApi;

/// <summary>
/// <c>POST /api/v4/jobs/request</c>: 201 with a job payload the moment one matches, or 204 with
/// <c>X-GitLab-Last-Update</c> after holding the request for <see cref="ServerOptions.LongPoll"/>.
/// </summary>
internal static class JobRequestEndpoint
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s) =>
        app.MapPost("/api/v4/jobs/request", (Func<HttpContext, Task<IResult>>)(http => HandleAsync(http, s)));

    private static async Task<IResult> HandleAsync(HttpContext http, ServerContext s)
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

        if (await RunnerEndpoints.RunnerOfAsync(http, s, token) is not { } runner)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        var job = runner.Paused ? null : await s.Queue.WaitAsync(runner, s.Options.LongPoll, http.RequestAborted);
        if (job is null)
        {
            http.Response.Headers["X-GitLab-Last-Update"] = s.Signal.Version.ToString(CultureInfo.InvariantCulture);
            return Results.NoContent();
        }

        s.Heartbeats?.Started(job.Id); // its start time is its first heartbeat: no write on its first report
        return Results.Text(ProtocolJson.Write(job), "application/json", statusCode: StatusCodes.Status201Created);
    }
}
