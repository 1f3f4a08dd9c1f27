using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Webhooks;

namespace Relais.Server.Api;

/// <summary>
/// Project webhooks in GitLab's shapes, for Maintainers: <c>GET/POST /projects/:id/hooks</c>, <c>GET/PUT/DELETE
/// …/hooks/:hook_id</c> (a URL that is not http(s) or reaches the local network without <c>--allow-local-webhooks</c>
/// is 422 <c>Invalid url given</c>), <c>PUT/DELETE …/custom_headers/:key</c>, <c>POST …/test/:trigger</c> (sent at once:
/// 201, or 422 with what went wrong), and the recent deliveries: <c>GET …/events</c> and <c>POST
/// …/events/:event_id/resend</c>. Creating, changing and deleting a hook are audited.
/// </summary>
internal sealed class WebhookEndpoints(
    ApiGuard guard, AuditLog auditLog, IWebhookStore store, WebhookTester tester, WebhookSender sender, bool allowLocal, SecretBox secrets, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/hooks";
    private const string HookRoute = Route + "/{hid:long}";
    private const int RecentDeliveries = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var hooks = await store.ListAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, hooks.Count);
            return ApiJson.Ok(hooks.Skip(paging.Offset).Take(paging.PerPage).Select(h => WebhookViews.Hook(h, time.GetUtcNow())).ToList());
        }));
        app.MapGet(HookRoute, (HttpContext http, string id, long hid) => WithHookAsync(http, id, hid, (_, _, h) =>
            Task.FromResult(ApiJson.Ok(WebhookViews.Hook(h, time.GetUtcNow())))));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) =>
            SaveAsync(http, c, p, new WebhookRecord { ProjectId = p.Id, Events = WebhookTriggers.Push }))).DisableAntiforgery();
        app.MapPut(HookRoute, (HttpContext http, string id, long hid) => WithHookAsync(http, id, hid, (c, p, h) => SaveAsync(http, c, p, h))).DisableAntiforgery();
        app.MapDelete(HookRoute, (HttpContext http, string id, long hid) => WithHookAsync(http, id, hid, async (c, p, h) =>
        {
            if (!await store.DeleteAsync(p.Id, h.Id, CancellationToken.None))
            {
                return ApiJson.NotFound("Hook");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "webhook_deleted", "Project", p.Id, p.Path, $"hook {h.Id} to {Host(h.Url)}");
            return Results.NoContent();
        }));
        app.MapPut(HookRoute + "/custom_headers/{key}", (HttpContext http, string id, long hid, string key) => WithHookAsync(http, id, hid, async (c, p, h) =>
        {
            var f = await ApiParams.ReadAsync(http.Request);
            if (f.GetValueOrDefault("value") is not { } value)
            {
                return ApiJson.BadRequest("value is missing");
            }

            if (!WebhookHeaders.IsValid(key, value))
            {
                return ApiJson.BadRequest("key or value is invalid");
            }

            var headers = new Dictionary<string, string>(WebhookHeaders.Custom(h.CustomHeaders), StringComparer.OrdinalIgnoreCase) { [key] = value };
            await store.UpdateAsync(h with { CustomHeaders = WebhookHeaders.Store(headers) }, CancellationToken.None);
            return Results.NoContent();
        })).DisableAntiforgery();
        app.MapDelete(HookRoute + "/custom_headers/{key}", (HttpContext http, string id, long hid, string key) => WithHookAsync(http, id, hid, async (_, _, h) =>
        {
            var headers = new Dictionary<string, string>(WebhookHeaders.Custom(h.CustomHeaders), StringComparer.OrdinalIgnoreCase);
            if (!headers.Remove(key))
            {
                return ApiJson.NotFound("Custom header");
            }

            await store.UpdateAsync(h with { CustomHeaders = WebhookHeaders.Store(headers) }, CancellationToken.None);
            return Results.NoContent();
        }));
        app.MapPost(HookRoute + "/test/{trigger}", (HttpContext http, string id, long hid, string trigger) => WithHookAsync(http, id, hid, (_, p, h) => TestAsync(http, p, h, trigger)))
            .DisableAntiforgery();
        app.MapGet(HookRoute + "/events", (HttpContext http, string id, long hid) => WithHookAsync(http, id, hid, async (_, _, h) =>
        {
            var deliveries = await store.ListDeliveriesAsync(h.Id, RecentDeliveries, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, deliveries.Count);
            return ApiJson.Ok(deliveries.Skip(paging.Offset).Take(paging.PerPage).Select(d => WebhookViews.Event(h, d, sender.Instance)).ToList());
        }));
        app.MapPost(HookRoute + "/events/{eid:long}/resend", (HttpContext http, string id, long hid, long eid) => WithHookAsync(http, id, hid, async (_, _, h) =>
        {
            if (!await store.ResendAsync(h.Id, eid, time.GetUtcNow(), CancellationToken.None))
            {
                return ApiJson.NotFound("Hook event");
            }

            sender.Wake();
            return ApiJson.Ok(WebhookViews.Event(h, (await store.GetDeliveryAsync(h.Id, eid, CancellationToken.None))!, sender.Instance), StatusCodes.Status201Created);
        })).DisableAntiforgery();
    }

    private static string Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "?";

    private Task<IResult> WithHookAsync(HttpContext http, string id, long hid, Func<ApiCaller, ProjectRecord, WebhookRecord, Task<IResult>> handler) =>
        guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
            await store.GetAsync(p.Id, hid, http.RequestAborted) is { } hook ? await handler(c, p, hook) : ApiJson.NotFound("Hook"));

    private async Task<IResult> SaveAsync(HttpContext http, ApiCaller caller, ProjectRecord project, WebhookRecord hook)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var creating = hook.Id == 0;
        if (creating && f.GetValueOrDefault("url") is not { Length: > 0 })
        {
            return ApiJson.BadRequest("url is missing");
        }

        var (changed, refusal) = await WebhookInput.ApplyAsync(f, hook, allowLocal, secrets, http.RequestAborted);
        if (changed is null)
        {
            return ApiJson.Error(StatusCodes.Status422UnprocessableEntity, refusal!);
        }

        WebhookRecord saved;
        if (creating)
        {
            saved = await store.AddAsync(changed, time.GetUtcNow(), CancellationToken.None);
        }
        else
        {
            await store.UpdateAsync(changed, CancellationToken.None);
            saved = (await store.GetAsync(project.Id, hook.Id, CancellationToken.None))!;
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), creating ? "webhook_created" : "webhook_updated", "Project", project.Id, project.Path, $"hook {saved.Id} to {Host(saved.Url)}: {saved.Events}");
        return ApiJson.Ok(WebhookViews.Hook(saved, time.GetUtcNow()), creating ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private async Task<IResult> TestAsync(HttpContext http, ProjectRecord project, WebhookRecord hook, string trigger)
    {
        var result = await tester.TestAsync(project, hook, trigger, http.RequestAborted);
        return ApiJson.Error(result.Succeeded ? StatusCodes.Status201Created : result.Status, result.Message);
    }
}
