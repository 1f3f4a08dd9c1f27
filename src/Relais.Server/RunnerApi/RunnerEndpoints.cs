using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Protocol.Requests;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>Runner lifecycle over the runner's own token: verify, delete (creating one is <c>Api.UserRunnerEndpoints</c>).</summary>
internal sealed class RunnerEndpoints(AuditLog auditLog, IRunnerStore runnerStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/runners/verify", async (HttpRequest request) =>
        {
            var verify = await ReadVerifyAsync(request);
            var token = RequestTokens.Runner(request, verify.Token is { Length: > 0 } given ? given : null);
            return await RunnerOfAsync(request.HttpContext, runnerStore, token, time.GetUtcNow()) is { } runner
                ? ApiResults.Registration(runner.Id, token!, StatusCodes.Status200OK)
                : ApiResults.Error(StatusCodes.Status403Forbidden);
        });
        app.MapDelete("/api/v4/runners", async (HttpRequest request) =>
        {
            var fields = await BodyFields.ReadAsync(request);
            var token = RequestTokens.Runner(request, fields.GetValueOrDefault("token"));
            if (await RunnerOfAsync(request.HttpContext, runnerStore, token) is not { } runner || !await runnerStore.DeleteRunnerAsync(Tokens.Hash(token!), CancellationToken.None))
            {
                return ApiResults.Error(StatusCodes.Status403Forbidden);
            }

            await auditLog.RecordAsync(request.HttpContext, new AuditActor(null, $"runner #{runner.Id}"), "runner_deleted", "Runner", runner.Id, runner.Description);
            return Results.NoContent();
        });
    }

    /// <summary>The verify body: JSON (what runners send) as the protocol's type, or a form's <c>token</c> field.</summary>
    private static async Task<VerifyRunnerRequest> ReadVerifyAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            return new VerifyRunnerRequest { Token = (await BodyFields.ReadAsync(request)).GetValueOrDefault("token", "") };
        }

        return await ProtocolJson.ReadVerifyRequestAsync(request.Body, request.HttpContext.RequestAborted) ?? new VerifyRunnerRequest();
    }

    /// <summary>
    /// The runner a token belongs to (noting the outcome for the rate limit and the audit log), or null. With
    /// <paramref name="contactedAt"/> (a verify or a job request, not a delete) the runner's <c>contacted_at</c> is
    /// brought up to date, which <c>GET /runners</c> shows as <c>online</c>/<c>status</c>.
    /// </summary>
    public static async Task<RunnerRecord?> RunnerOfAsync(HttpContext http, IRunnerStore runnerStore, string? token, DateTimeOffset? contactedAt = null)
    {
        if (token is null)
        {
            return null;
        }

        var runner = await runnerStore.FindRunnerAsync(Tokens.Hash(token), http.RequestAborted);
        if (runner is null)
        {
            AuthEvents.Failed(http, TokenKind.Runner, token);
        }
        else
        {
            AuthEvents.Succeeded(http, TokenKind.Runner, runner.Id, $"runner #{runner.Id}", token);
            if (contactedAt is { } now)
            {
                await runnerStore.TouchRunnerAsync(runner.Id, now, CancellationToken.None);
            }
        }

        return runner;
    }
}
