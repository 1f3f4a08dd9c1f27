using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A pipeline trigger token as GitLab shows it: the whole token to its owner, its first four characters to anyone else.</summary>
public sealed record TriggerView(long Id, string Token, string Description, string? CreatedAt, string? UpdatedAt, string? LastUsed, string? ExpiresAt, UserView? Owner);

/// <summary>
/// Pipeline trigger tokens in GitLab's shapes (<c>GET/POST /projects/:id/triggers</c>, <c>GET/PUT/DELETE …/:trigger_id</c>),
/// for Maintainers. A new token (<c>glptt-</c>) belongs to its creator, whose pipelines it runs as; it is stored as its hash
/// and, encrypted, so its owner can read it again. Creating and deleting are audited.
/// </summary>
internal sealed class TriggerEndpoints(ApiGuard guard, AuditLog auditLog, ITriggerStore store, IIdentityStore identities, SecretBox secrets, string externalUrl, TimeProvider time)
{
    /// <summary>GitLab's prefix of pipeline trigger tokens.</summary>
    public const string TokenPrefix = "glptt-";

    private const string Route = "/api/v4/projects/{id}/triggers";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var all = await store.ListTriggersAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, all.Count);
            var views = new List<TriggerView>();
            foreach (var t in all.Skip(paging.Offset).Take(paging.PerPage))
            {
                views.Add(await ViewAsync(t, c, http.RequestAborted));
            }

            return ApiJson.Ok(views);
        }));
        app.MapGet(Route + "/{tid:long}", (HttpContext http, string id, long tid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
            await store.GetTriggerAsync(p.Id, tid, http.RequestAborted) is { } t ? ApiJson.Ok(await ViewAsync(t, c, http.RequestAborted)) : ApiJson.NotFound("Trigger")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => CreateAsync(http, c, p))).DisableAntiforgery();
        app.MapPut(Route + "/{tid:long}", (HttpContext http, string id, long tid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var fields = await ApiParams.ReadAsync(http.Request);
            if (await store.GetTriggerAsync(p.Id, tid, http.RequestAborted) is not { } t)
            {
                return ApiJson.NotFound("Trigger");
            }

            if (fields.GetValueOrDefault("description") is { } description)
            {
                await store.DescribeTriggerAsync(p.Id, tid, description, time.GetUtcNow(), CancellationToken.None);
            }

            return ApiJson.Ok(await ViewAsync((await store.GetTriggerAsync(p.Id, tid, CancellationToken.None))!, c, http.RequestAborted));
        })).DisableAntiforgery();
        app.MapDelete(Route + "/{tid:long}", (HttpContext http, string id, long tid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (!await store.DeleteTriggerAsync(p.Id, tid, http.RequestAborted))
            {
                return ApiJson.NotFound("Trigger");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "pipeline_trigger_deleted", "Project", p.Id, p.Path, $"trigger {tid}");
            return Results.NoContent();
        }));
    }

    /// <summary>The error GitLab's parameter validation answers (400 <c>{"error": "… is missing"}</c>).</summary>
    public static IResult MissingParameter(string name) =>
        ApiJson.Ok(new Dictionary<string, string> { ["error"] = name + " is missing" }, StatusCodes.Status400BadRequest);

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var fields = await ApiParams.ReadAsync(http.Request);
        if (fields.GetValueOrDefault("description") is not { } description)
        {
            return MissingParameter("description");
        }

        var token = Tokens.New(TokenPrefix);
        var trigger = await store.AddTriggerAsync(
            new PipelineTriggerRecord { ProjectId = project.Id, OwnerId = caller.User!.Id, Description = description, TokenHash = Tokens.Hash(token), SealedToken = secrets.Protect(token) },
            time.GetUtcNow(),
            CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "pipeline_trigger_created", "Project", project.Id, project.Path, $"trigger {trigger.Id} ({description})");
        return ApiJson.Ok(await ViewAsync(trigger, caller, http.RequestAborted), StatusCodes.Status201Created);
    }

    private async Task<TriggerView> ViewAsync(PipelineTriggerRecord t, ApiCaller caller, CancellationToken cancel)
    {
        var token = secrets.Unprotect(t.SealedToken);
        var shown = caller.User?.Id == t.OwnerId ? token : token[..Math.Min(4, token.Length)];
        var owner = await identities.GetUserAsync(t.OwnerId, cancel);
        return new TriggerView(
            t.Id, shown, t.Description, ApiJson.Time(t.CreatedAt), ApiJson.Time(t.UpdatedAt), ApiJson.Time(t.LastUsedAt), null, owner is null ? null : ApiViews.User(owner, externalUrl));
    }
}
