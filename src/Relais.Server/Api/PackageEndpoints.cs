using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A project's packages: <c>GET /projects/:id/packages</c> (<c>package_type</c>, <c>package_name</c>,
/// <c>status</c>: without it every package but hidden ones; paginated), <c>GET/DELETE
/// /projects/:id/packages/:package_id</c> (deleting needs Maintainer and removes the files' bytes) and
/// <c>GET …/:package_id/package_files</c>. Reading needs Reporter; CI/CD job tokens are accepted.
/// </summary>
internal sealed class PackageEndpoints(ApiGuard guard, AuditLog auditLog, IPackageStore packages, ArtifactBlobs blobs, string externalUrl)
{
    private const string Route = "/api/v4/projects/{id}/packages";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{packageId:long}", (HttpContext http, string id, long packageId) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
            await packages.GetAsync(p.Id, packageId, http.RequestAborted) is { } package ? ApiJson.Ok(PackageViews.Package(package, p, externalUrl)) : NotFound()));
        app.MapGet(Route + "/{packageId:long}/package_files", (HttpContext http, string id, long packageId) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
        {
            if (await packages.GetAsync(p.Id, packageId, http.RequestAborted) is null)
            {
                return NotFound();
            }

            var files = await packages.ListFilesAsync(packageId, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, files.Count);
            return ApiJson.Ok(files.Skip(paging.Offset).Take(paging.PerPage).Select(PackageViews.File).ToList());
        }));
        app.MapDelete(Route + "/{packageId:long}", (HttpContext http, string id, long packageId) => guard.JobTokenProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await packages.GetAsync(p.Id, packageId, http.RequestAborted) is not { } package)
            {
                return NotFound();
            }

            foreach (var file in await packages.DeleteAsync(package.Id, CancellationToken.None))
            {
                blobs.Delete(file.BlobPath);
            }

            await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(c), "package_deleted", "Project", p.Id, p.Path, $"{package.PackageType} {package.Name} {package.Version}");
            return Results.NoContent();
        }));
    }

    private static IResult NotFound() => ApiJson.NotFound("Package");

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var query = http.Request.Query;
        var type = query["package_type"].ToString() is { Length: > 0 } t ? t : null;
        var name = query["package_name"].ToString() is { Length: > 0 } n ? n : null;
        var paging = Paging.From(http.Request);
        var (page, total) = await packages.ListAsync(project.Id, type, name, query["status"].ToString() is { Length: > 0 } s ? s : null, paging.Offset, paging.PerPage, http.RequestAborted);
        paging.WriteHeaders(http.Response, total);
        return ApiJson.Ok(page.Select(p => PackageViews.Package(p, project, externalUrl)).ToList());
    }
}
