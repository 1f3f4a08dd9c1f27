using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /namespaces</c>: the caller's own namespace and the groups they have a role in (every group for an
/// administrator), with <c>search</c> and <c>owned_only</c>; <c>GET /namespaces/:id</c>: a group by id, or a user's or
/// group's namespace by (URL-encoded) path, if the caller may see it.
/// </summary>
internal sealed class NamespaceEndpoints(ApiGuard guard, NamespaceDirectory directory, IGroupStore groupStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/namespaces", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => ListAsync(http, c)));
        app.MapGet("/api/v4/namespaces/{id}", (HttpContext http, string id) => guard.UserAsync(http, required: true, async c =>
        {
            var key = Uri.UnescapeDataString(id).Trim('/');
            var group = long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? await directory.FindGroupAsync(key, http.RequestAborted)
                : await groupStore.FindGroupAsync(key, http.RequestAborted);
            if (group is not null)
            {
                return c.CanSee(group) ? ApiJson.Ok(directory.Of(group)) : ApiJson.NotFound("Namespace");
            }

            // A user's namespace: its owner's (and an administrator's) only.
            return key == c.User!.Username || (c.IsAdmin && await directory.FindAsync(key, http.RequestAborted) is not null)
                ? ApiJson.Ok((await directory.FindAsync(key, http.RequestAborted))!)
                : ApiJson.NotFound("Namespace");
        }));
    }

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller)
    {
        var search = http.Request.Query["search"].ToString();
        var ownedOnly = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "owned_only") == true;
        var level = ownedOnly ? AccessLevel.Owner : AccessLevel.Guest;
        var user = caller.User!;
        var namespaces = new List<NamespaceView> { directory.Of(user.Id, user.Username) };
        namespaces.AddRange((await groupStore.ListGroupsAsync(http.RequestAborted))
            .Where(g => caller.LevelInNamespace(g.FullPath) >= level)
            .Select(directory.Of));
        var found = namespaces.Where(n => search.Length == 0 || n.FullPath.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, found.Count);
        return ApiJson.Ok(found.Skip(paging.Offset).Take(paging.PerPage).ToList());
    }
}
