using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Trees and files of a project's repository: <c>GET /projects/:id/repository/tree</c> (<c>path</c>, <c>ref</c>,
/// <c>recursive</c>; paginated), <c>GET …/files/:file_path</c> (<c>ref</c>; JSON with base64 content, up to
/// <see cref="MaxJsonBytes"/>), <c>GET …/files/:file_path/raw</c> and <c>GET …/blobs/:sha/raw</c> (streamed from git,
/// any size, as <c>text/plain</c> with <c>nosniff</c> so a browser never renders them). Read access only.
/// </summary>
internal sealed class FileEndpoints(ApiGuard guard, ProjectRepository repository)
{
    /// <summary>The largest file <c>GET …/files/:file_path</c> returns inside JSON; larger ones are read raw.</summary>
    public const int MaxJsonBytes = 10 * 1024 * 1024;

    private const string Route = "/api/v4/projects/{id}/repository";
    private const string RawType = "text/plain; charset=utf-8";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route + "/tree", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => TreeAsync(http, p)));
        app.MapGet(Route + "/files/{filePath}", (HttpContext http, string id, string filePath) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => FileAsync(http, p, filePath)));
        app.MapGet(Route + "/files/{filePath}/raw", (HttpContext http, string id, string filePath) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => RawFileAsync(http, p, filePath)));
        app.MapGet(Route + "/blobs/{sha}/raw", (HttpContext http, string id, string sha) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => RawBlobAsync(http, p, sha)));
    }

    private async Task<IResult> TreeAsync(HttpContext http, ProjectRecord project)
    {
        var query = http.Request.Query;
        if (RepositoryPaths.Normalize(query["path"]) is not { } path)
        {
            return ApiJson.NotFound("Tree");
        }

        var git = repository.Open(project);
        var revision = query["ref"].ToString() is { Length: > 0 } given ? given : project.DefaultBranch;
        var commit = git is null ? null : await git.ResolveCommitAsync(revision, http.RequestAborted);
        var tree = commit is null ? null
            : path.Length == 0 ? commit + "^{tree}"
            : await git!.FindEntryAsync(commit, path, http.RequestAborted) is { Type: "tree" } directory ? directory.ObjectId
            : null;
        if (tree is null)
        {
            return ApiJson.NotFound("Tree");
        }

        var recursive = ApiParams.Bool(query.ToDictionary(q => q.Key, q => q.Value.ToString()), "recursive") == true;
        var prefix = path.Length == 0 ? "" : path + "/";
        var entries = await git!.ListEntriesAsync(tree, recursive, http.RequestAborted);
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, entries.Count);
        return ApiJson.Ok(entries.Skip(paging.Offset).Take(paging.PerPage)
            .Select(e => new TreeEntryView(e.ObjectId, e.Name, e.Type, prefix + e.Path, e.Mode)).ToList());
    }

    private async Task<IResult> FileAsync(HttpContext http, ProjectRecord project, string filePath)
    {
        if (http.Request.Query["ref"].ToString().Length == 0)
        {
            return ApiJson.BadRequest("ref is missing");
        }

        if (await FindFileAsync(http, project, filePath) is not ({ } git, { } found))
        {
            return Missing;
        }

        var (entry, revision, commit) = found;
        if (entry.Size > MaxJsonBytes)
        {
            return ApiJson.BadRequest($"the file is larger than {MaxJsonBytes} bytes; read it from /raw");
        }

        var content = await git.ReadBlobAsync(entry.ObjectId, http.RequestAborted) ?? [];
        return ApiJson.Ok(new FileView(
            entry.Name,
            entry.Path,
            content.LongLength,
            "base64",
            Convert.ToHexStringLower(SHA256.HashData(content)),
            revision,
            entry.ObjectId,
            commit,
            await git.LastCommitAsync(commit, entry.Path, http.RequestAborted),
            entry.Mode == "100755",
            Convert.ToBase64String(content)));
    }

    private async Task<IResult> RawFileAsync(HttpContext http, ProjectRecord project, string filePath)
    {
        if (await FindFileAsync(http, project, filePath) is not ({ } git, { } found))
        {
            return Missing;
        }

        var headers = http.Response.Headers;
        headers["X-Gitlab-Blob-Id"] = found.Entry.ObjectId;
        headers["X-Gitlab-Commit-Id"] = found.Commit;
        headers["X-Gitlab-File-Path"] = Uri.EscapeDataString(found.Entry.Path);
        headers["X-Gitlab-Ref"] = Uri.EscapeDataString(found.Ref);
        return Stream(http, git, found.Entry.ObjectId, found.Entry.Size);
    }

    private async Task<IResult> RawBlobAsync(HttpContext http, ProjectRecord project, string sha)
    {
        var git = repository.Open(project);
        if (git is null || sha.Length is < 4 or > 64 || !sha.All(char.IsAsciiHexDigit)
            || await git.ResolveAsync(sha + "^{blob}", http.RequestAborted) is not { } blob)
        {
            return ApiJson.NotFound("Blob");
        }

        return Stream(http, git, blob, null);
    }

    /// <summary>The file <paramref name="filePath"/> at the <c>ref</c> parameter (default: the default branch); nulls when the ref, the path or the file is not there.</summary>
    private async Task<(GitRepository? Git, (TreeEntry Entry, string Ref, string Commit)? Found)> FindFileAsync(HttpContext http, ProjectRecord project, string filePath)
    {
        var revision = http.Request.Query["ref"].ToString() is { Length: > 0 } given ? given : project.DefaultBranch;
        var git = repository.Open(project);
        if (git is null || RepositoryPaths.Normalize(filePath) is not { Length: > 0 } path
            || await git.ResolveCommitAsync(revision, http.RequestAborted) is not { } commit
            || await git.FindEntryAsync(commit, path, http.RequestAborted) is not { Type: "blob" } entry)
        {
            return (null, null);
        }

        return (git, (entry, revision, commit));
    }

    private static IResult Missing => ApiJson.NotFound("File");

    /// <summary>Streams the blob from git to the response as it comes, whatever its size.</summary>
    private static IResult Stream(HttpContext http, GitRepository git, string objectId, long? size)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.ContentLength = size;
        return Results.Stream(body => git.CopyBlobAsync(objectId, body, http.RequestAborted), RawType);
    }
}
