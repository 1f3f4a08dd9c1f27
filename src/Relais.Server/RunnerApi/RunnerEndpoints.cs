using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>Runner lifecycle: create (with a personal access token), verify, delete.</summary>
internal static class RunnerEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapPost("/api/v4/user/runners", (HttpRequest request) => CreateAsync(request, s));
        app.MapPost("/api/v4/runners/verify", async (HttpRequest request) =>
        {
            var fields = await BodyFields.ReadAsync(request);
            var token = RequestTokens.Runner(request, fields.GetValueOrDefault("token"));
            return token is not null && await s.Store.FindRunnerAsync(Tokens.Hash(token)) is { } runner
                ? ApiResults.Registration(runner.Id, token, StatusCodes.Status200OK)
                : ApiResults.Error(StatusCodes.Status403Forbidden);
        });
        app.MapDelete("/api/v4/runners", async (HttpRequest request) =>
        {
            var fields = await BodyFields.ReadAsync(request);
            var token = RequestTokens.Runner(request, fields.GetValueOrDefault("token"));
            return token is not null && await s.Store.DeleteRunnerAsync(Tokens.Hash(token))
                ? Results.NoContent()
                : ApiResults.Error(StatusCodes.Status403Forbidden);
        });
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ServerContext s)
    {
        if (RequestTokens.Personal(request) is not { } pat || await s.Store.FindUserByTokenAsync(Tokens.Hash(pat)) is not { } user)
        {
            return ApiResults.Error(StatusCodes.Status401Unauthorized);
        }

        if (!user.IsAdmin)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        var fields = await BodyFields.ReadAsync(request);
        var type = fields.GetValueOrDefault("runner_type", "instance_type");
        if (type != "instance_type")
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - only runner_type=instance_type is supported");
        }

        var token = Tokens.New(Tokens.RunnerPrefix);
        var runUntagged = !string.Equals(fields.GetValueOrDefault("run_untagged"), "false", StringComparison.OrdinalIgnoreCase);
        var runner = await s.Store.CreateRunnerAsync(
            Tokens.Hash(token), fields.GetValueOrDefault("description", ""), Tags.Join(Tags.Split(fields.GetValueOrDefault("tag_list"))), runUntagged, s.Time.GetUtcNow());
        return ApiResults.Registration(runner.Id, token, StatusCodes.Status201Created);
    }
}
