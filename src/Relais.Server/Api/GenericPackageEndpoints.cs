using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's generic package registry: <c>PUT /projects/:id/packages/generic/:name/:version/:file_name</c> (the body is
/// the file, streamed to the artifact blobs and limited as an artifact upload; <c>status</c> <c>default</c> or
/// <c>hidden</c>; <c>select=package_file</c> answers the stored file) and <c>GET</c> of the same path (the newest file of
/// that name). Uploading needs Developer, downloading Reporter; a CI/CD job token (<c>JOB-TOKEN</c> header) is accepted,
/// as jobs upload with curl. Names, versions and file names are checked with GitLab's rules (400 <c>{"error": …}</c>).
/// </summary>
internal sealed partial class GenericPackageEndpoints(ApiGuard guard, AuditLog auditLog, IPackageStore packages, ArtifactBlobs blobs, TimeProvider time)
{
    public const string Route = "/api/v4/projects/{id}/packages/generic/{name}/{version}/{file}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPut(Route, (HttpContext http, string id, string name, string version, string file) =>
            Checked(name, version, file) ?? guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) => UploadAsync(http, c, p, name, version, file)))
            .DisableAntiforgery();
        app.MapGet(Route, (HttpContext http, string id, string name, string version, string file) =>
            Checked(name, version, file) ?? guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => DownloadAsync(http, p, name, version, file)));
    }

    private async Task<IResult> UploadAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name, string version, string fileName)
    {
        var status = http.Request.Query["status"].ToString();
        if (status.Length > 0 && status is not ("default" or "hidden"))
        {
            return Error("status does not have a valid value");
        }

        var (path, size, sha256) = await blobs.SavePackageFileAsync(project.Id, http.Request.Body, http.RequestAborted);
        try
        {
            var (_, stored) = await packages.AddFileAsync(
                new PackageRecord { ProjectId = project.Id, Name = name, Version = version, Status = status.Length > 0 ? status : "default", PipelineId = caller.Job?.PipelineId },
                new PackageFileRecord { FileName = fileName, Size = size, FileSha256 = sha256, BlobPath = path },
                setStatus: status.Length > 0,
                time.GetUtcNow(),
                CancellationToken.None);
            await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "package_file_uploaded", "Project", project.Id, project.Path, $"generic {name} {version} {fileName} ({size} bytes)");
            return http.Request.Query["select"] == "package_file"
                ? ApiJson.Ok(PackageViews.File(stored))
                : ApiJson.Error(StatusCodes.Status201Created, "201 Created");
        }
        catch
        {
            blobs.Delete(path); // no row, no file
            throw;
        }
    }

    private async Task<IResult> DownloadAsync(HttpContext http, ProjectRecord project, string name, string version, string fileName)
    {
        var package = await packages.FindAsync(project.Id, "generic", name, version, http.RequestAborted);
        var file = package is null ? null : (await packages.ListFilesAsync(package.Id, http.RequestAborted)).LastOrDefault(f => f.FileName == fileName);
        var full = file is null ? null : blobs.FullPath(file.BlobPath);
        if (full is null || !System.IO.File.Exists(full))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");
        }

        return Results.File(full, "application/octet-stream", fileName);
    }

    /// <summary>GitLab's 400 for a name, version or file name its rules refuse; null when all are valid.</summary>
    private static Task<IResult>? Checked(string name, string version, string file) =>
        !FileName().IsMatch(name) ? Task.FromResult(Error("package_name is invalid"))
        : !Version().IsMatch(version) ? Task.FromResult(Error("package_version is invalid"))
        : !FileName().IsMatch(file) ? Task.FromResult(Error("file_name is invalid"))
        : null;

    private static IResult Error(string message) =>
        ApiJson.Ok(new Dictionary<string, string> { ["error"] = message }, StatusCodes.Status400BadRequest);

    /// <summary>A package or file name: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, <c>+</c>.</summary>
    [GeneratedRegex(@"\A[A-Za-z0-9._+-]+\z")]
    private static partial Regex FileName();

    /// <summary>A version: word characters, <c>.</c>, <c>+</c>, <c>-</c>, and never two dots in a row.</summary>
    [GeneratedRegex(@"\A(?!.*\.\.)[A-Za-z0-9_+.-]+\z")]
    private static partial Regex Version();
}
