using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;

namespace Relais.Server.Registry;

/// <summary>
/// <c>GET /jwt/auth</c>: the registry's token realm, as GitLab's <c>JwtController</c> answers Docker's token protocol.
/// <c>service</c> must be <c>container_registry</c> (else 404, no body); each <c>scope</c> (repeated, or several in one
/// separated by spaces as OAuth 2 writes them) is granted what the client
/// may do (<see cref="RegistryAccess"/>; refused actions are left out); <c>account</c>, <c>client_id</c> and
/// <c>offline_token</c> are read by Docker only. Wrong credentials → 401 <c>UNAUTHORIZED</c>; a credential without any
/// registry ability (a token scoped for git only) → 403 <c>DENIED</c>; so is an anonymous request granted nothing.
/// </summary>
internal sealed class RegistryTokenEndpoint(RegistryTokenIssuer tokens, RegistryCredentials credentials, RegistryAccess access)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/jwt/auth", Task<IResult> (HttpContext http) => AuthAsync(http));

    private async Task<IResult> AuthAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (query["service"].ToString() != tokens.Service)
        {
            return Results.NotFound();
        }

        if (await credentials.AuthenticateAsync(http) is not { } client)
        {
            return Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                "HTTP Basic: Access denied. The username and password, or token, are wrong, expired, or not allowed to use the registry.");
        }

        if (client.Abilities == RegistryAbilities.None)
        {
            return Error(StatusCodes.Status403Forbidden, "DENIED", "access forbidden");
        }

        var grants = new List<RegistryScope>();
        foreach (var text in query["scope"].SelectMany(v => (v ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (RegistryScope.Parse(text) is { } asked && await access.GrantAsync(client, asked, http.RequestAborted) is { } granted)
            {
                grants.Add(granted);
            }
        }

        if (grants.Count == 0 && client == RegistryCaller.Anonymous)
        {
            return Error(StatusCodes.Status403Forbidden, "DENIED", "access forbidden");
        }

        var token = tokens.Issue(client.Subject, grants);
        return ApiJson.Ok(new Dictionary<string, object>
        {
            ["token"] = token.Value,
            ["access_token"] = token.Value,
            ["expires_in"] = (int)token.Lifetime.TotalSeconds,
            ["issued_at"] = token.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The registry's error shape: <c>{"errors":[{"code":…,"message":…}]}</c>.</summary>
    private static IResult Error(int status, string code, string message) =>
        ApiJson.Ok(new Dictionary<string, object> { ["errors"] = new[] { new Dictionary<string, string> { ["code"] = code, ["message"] = message } } }, status);
}
