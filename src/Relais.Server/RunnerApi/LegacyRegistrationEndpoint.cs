using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>
/// <c>POST /api/v4/runners</c> with a registration <c>token</c>: GitLab's legacy registration, which creates an instance
/// runner and answers <c>{id, token, token_expires_at}</c> (201), or 403 for any other token. It takes what
/// <c>gitlab-runner register</c> sends: <c>description</c>, <c>tag_list</c>, <c>run_untagged</c>, <c>locked</c>,
/// <c>paused</c>/<c>active</c>, <c>access_level</c>, <c>maximum_timeout</c>. Unregistering is <c>DELETE /api/v4/runners</c>.
/// </summary>
internal sealed class LegacyRegistrationEndpoint(RegistrationTokens registration, AuditLog auditLog, IRunnerStore runnerStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v4/runners", async (HttpRequest request) =>
        {
            var f = await BodyFields.ReadAsync(request);
            if (!await registration.IsInstanceTokenAsync(f.GetValueOrDefault("token"), request.HttpContext.RequestAborted))
            {
                if (f.GetValueOrDefault("token") is { Length: > 0 } given)
                {
                    AuthEvents.Failed(request.HttpContext, TokenKind.Runner, given);
                }

                return ApiResults.Error(StatusCodes.Status403Forbidden);
            }

            var paused = Bool(f, "paused") ?? (Bool(f, "active") is { } active ? !active : false);
            var runner = new RunnerRecord
            {
                Description = f.GetValueOrDefault("description", ""),
                Tags = Tags.Join(Tags.Split(f.GetValueOrDefault("tag_list"))),
                RunUntagged = Bool(f, "run_untagged") ?? true,
                Locked = Bool(f, "locked") ?? false,
                Paused = paused,
                AccessLevel = f.GetValueOrDefault("access_level") is "ref_protected" ? "ref_protected" : "not_protected",
                MaximumTimeout = int.TryParse(f.GetValueOrDefault("maximum_timeout"), System.Globalization.CultureInfo.InvariantCulture, out var t) && t >= 600 ? t : null,
                RunnerType = RunnerTypes.Instance,
            };
            var token = Tokens.New(Tokens.RunnerPrefix);
            runner = await runnerStore.CreateRunnerAsync(Tokens.Hash(token), runner, null, time.GetUtcNow(), CancellationToken.None);
            await auditLog.RecordAsync(request.HttpContext, new AuditActor(null, "registration token"), "runner_registered", "Runner", runner.Id, runner.Description, "legacy registration, tags: " + runner.Tags);
            return ApiResults.Registration(runner.Id, token, StatusCodes.Status201Created);
        }).DisableAntiforgery();

    private static bool? Bool(IReadOnlyDictionary<string, string> f, string key) =>
        f.TryGetValue(key, out var v) ? v.ToUpperInvariant() is "TRUE" or "1" or "YES" or "T" : null;
}
