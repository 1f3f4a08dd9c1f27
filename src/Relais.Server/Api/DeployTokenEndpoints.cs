using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A deploy token as GitLab shows it; <see cref="DeployTokenCreatedView"/> adds the value, once.</summary>
public record DeployTokenView(long Id, string Name, string Username, string? ExpiresAt, bool Revoked, bool Expired, IReadOnlyList<string> Scopes);

/// <summary>A deploy token as <c>POST /projects/:id/deploy_tokens</c> answers: the only time its value is shown.</summary>
public sealed record DeployTokenCreatedView(long Id, string Name, string Username, string? ExpiresAt, bool Revoked, bool Expired, IReadOnlyList<string> Scopes, string Token)
    : DeployTokenView(Id, Name, Username, ExpiresAt, Revoked, Expired, Scopes);

/// <summary>
/// Deploy tokens in GitLab's shapes: <c>GET/POST /projects/:id/deploy_tokens</c> (<c>name</c>, <c>scopes</c>,
/// <c>expires_at</c>, <c>username</c>, default <c>gitlab+deploy-token-ID</c>), <c>GET/DELETE …/:token_id</c>
/// (deleting revokes: the row stays, listed as revoked), and <c>GET /deploy_tokens</c> (administrators; <c>active</c>
/// filters). Maintainers manage a project's tokens. The value (<c>gldt-</c>) is shown once, on creation, and stored
/// as its hash; the token named <c>gitlab-deploy-token</c> is also kept encrypted, for jobs' <c>CI_DEPLOY_PASSWORD</c>.
/// Creating and revoking are audited.
/// </summary>
internal sealed partial class DeployTokenEndpoints(ApiGuard guard, UserEndpoints users, AuditLog auditLog, IDeployTokenStore store, SecretBox secrets, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/deploy_tokens";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            Page(http, await store.ListAsync(p.Id, http.RequestAborted))));
        app.MapGet(Route + "/{tid:long}", (HttpContext http, string id, long tid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await store.GetAsync(p.Id, tid, http.RequestAborted) is { } t ? ApiJson.Ok(View(t)) : ApiJson.NotFound("Deploy Token")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => CreateAsync(http, c, p))).DisableAntiforgery();
        app.MapDelete(Route + "/{tid:long}", (HttpContext http, string id, long tid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await store.GetAsync(p.Id, tid, http.RequestAborted) is not { } token || !await store.RevokeAsync(p.Id, tid, CancellationToken.None))
            {
                return ApiJson.NotFound("Deploy Token");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "deploy_token_revoked", "Project", p.Id, p.Path, $"deploy token {token.Id} {token.Username} ({token.Name})");
            return Results.NoContent();
        }));
        app.MapGet("/api/v4/deploy_tokens", Task<IResult> (HttpContext http) => users.AdminAsync(http, async _ =>
        {
            var active = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "active");
            var now = time.GetUtcNow();
            var all = await store.ListAsync(null, http.RequestAborted);
            return Page(http, [.. all.Where(t => active is null || t.IsActive(now) == active)]);
        }));
    }

    private IResult Page(HttpContext http, IReadOnlyList<DeployTokenRecord> tokens)
    {
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, tokens.Count);
        return ApiJson.Ok(tokens.Skip(paging.Offset).Take(paging.PerPage).Select(View).ToList());
    }

    private DeployTokenView View(DeployTokenRecord t) =>
        new(t.Id, t.Name, t.Username, ApiJson.Time(t.ExpiresAt), t.Revoked, t.IsExpired(time.GetUtcNow()), t.ScopeList);

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("name") is not { Length: > 0 } name)
        {
            return ApiJson.BadRequest("name is missing");
        }

        if (f.GetValueOrDefault("scopes") is not { Length: > 0 } requested)
        {
            return ApiJson.BadRequest("scopes is missing");
        }

        if (DeployTokenScopes.Parse(requested.Split(',')) is not { } scopes)
        {
            return ApiJson.BadRequest("scopes does not have a valid value");
        }

        var username = f.GetValueOrDefault("username") ?? "";
        if (username.Length > 255 || (username.Length > 0 && !UsernamePattern().IsMatch(username)))
        {
            return ApiJson.Invalid("username", "can contain only letters, digits, '_', '-', '+', and '.'");
        }

        string? expiresAt = null;
        if (f.GetValueOrDefault("expires_at") is { Length: > 0 } expiry)
        {
            if (!DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return ApiJson.BadRequest("expires_at is invalid");
            }

            expiresAt = SqlKeyStore.StoredTime(at);
        }

        var value = Tokens.New(Tokens.DeployPrefix);
        var row = await store.AddAsync(
            new DeployTokenRecord
            {
                ProjectId = project.Id,
                Name = name.Length > 255 ? name[..255] : name,
                Username = username,
                TokenHash = Tokens.Hash(value),
                Scopes = string.Join(',', scopes),
                ExpiresAt = expiresAt,
                SealedToken = name == Pipelines.DeployTokenVariables.TokenName ? secrets.Protect(value) : null,
            },
            time.GetUtcNow(),
            CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "deploy_token_created", "Project", project.Id, project.Path, $"deploy token {row.Id} {row.Username} ({row.Name}): {row.Scopes}");
        var view = View(row);
        return ApiJson.Ok(new DeployTokenCreatedView(view.Id, view.Name, view.Username, view.ExpiresAt, view.Revoked, view.Expired, view.Scopes, value), StatusCodes.Status201Created);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9\.\+_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
