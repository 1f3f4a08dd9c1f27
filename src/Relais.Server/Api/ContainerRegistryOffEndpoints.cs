using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;

namespace Relais.Server.Api;

/// <summary>
/// The container registry API's routes on a server whose registry is off (<c>--registry-port 0</c>, or no
/// <c>docker-registry</c>): the caller and project are checked as usual (401, 404 for a hidden project or group),
/// then every route answers 404 <c>{"message":"404 Container registry is disabled"}</c>, the message GitLab's token
/// endpoint gives when its registry is not enabled, rather than the bare 404 of a route that does not exist.
/// </summary>
internal sealed class ContainerRegistryOffEndpoints(ApiGuard guard, GroupEndpoints groups)
{
    public const string Message = "404 Container registry is disabled";

    private const string Route = "/api/v4/projects/{id}/registry/repositories";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, Off));
        app.MapGet(Route + "/{repositoryId:long}/tags", (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, Off));
        app.MapGet(Route + "/{repositoryId:long}/tags/{tag}", (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, Off));
        app.MapDelete(Route + "/{repositoryId:long}", (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Maintainer, Off));
        app.MapDelete(Route + "/{repositoryId:long}/tags/{tag}", (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, Off));
        app.MapGet("/api/v4/groups/{id}/registry/repositories", (HttpContext http, string id) => groups.GroupAsync(http, id, (_, _) => Task.FromResult(Disabled())));
        app.MapGet("/api/v4/registry/repositories/{repositoryId:long}", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, _ => Task.FromResult(Disabled())));
    }

    public static IResult Disabled() => ApiJson.Error(StatusCodes.Status404NotFound, Message);

    private static Task<IResult> Off(ApiCaller caller, Storage.ProjectRecord project) => Task.FromResult(Disabled());
}
