using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Artifacts;

/// <summary>
/// Answers the REST API's artifact downloads: a job's archive, or one file inside it streamed out of the zip (nothing
/// extracted to disk), typed by its extension. An archive is available while its row and blob exist and it has not
/// expired (GitLab's <c>available_artifacts?</c>); otherwise 404. Files are always sent as attachments, never sniffed
/// and sandboxed, so an HTML artifact cannot run as a page of this server. HEAD gets the same headers and no body.
/// </summary>
internal sealed class ArtifactDownloads(IArtifactStore artifactStore, ArtifactBlobs blobs, TimeProvider time)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The full path of the job's archive when it can be downloaded; null when there is none (or it expired).</summary>
    public async Task<(ArtifactRecord Row, string Path)?> ArchiveAsync(long jobId, CancellationToken cancel)
    {
        if (await artifactStore.FindArtifactAsync(jobId, "archive", cancel) is not { } archive || !File.Exists(blobs.FullPath(archive.BlobPath)))
        {
            return null;
        }

        return IsExpired(archive) ? null : (archive, blobs.FullPath(archive.BlobPath));
    }

    /// <summary>The archive of the job (<c>application/zip</c>), or 404.</summary>
    public async Task<IResult> ArchiveResultAsync(HttpContext http, long jobId)
    {
        if (await ArchiveAsync(jobId, http.RequestAborted) is not { } archive)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        Harden(http.Response);
        return Results.File(archive.Path, "application/zip", archive.Row.Filename);
    }

    /// <summary>The file <paramref name="path"/> inside the job's archive: 400 for a path that cannot name a file, 404 without archive or file.</summary>
    public async Task<IResult> EntryResultAsync(HttpContext http, long jobId, string path)
    {
        path = path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase); // the one escape the server leaves in a path
        if (!IsValidEntryPath(path))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "400 Bad request");
        }

        if (await ArchiveAsync(jobId, http.RequestAborted) is not { } archive)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        var zip = new FileStream(archive.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            if (ZipCentralDirectory.Entries(zip).FirstOrDefault(e => e.FullName == path && !e.IsDirectory) is { } entry
                && ZipCentralDirectory.Open(zip, entry) is { } content)
            {
                var name = Path.GetFileName(entry.FullName);
                Harden(http.Response);
                http.Response.ContentLength = entry.Length;
                if (HttpMethods.IsHead(http.Request.Method))
                {
                    await content.DisposeAsync();
                    await zip.DisposeAsync();
                    http.Response.ContentType = ContentTypeOf(name);
                    http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name }.ToString();
                    return Results.Empty;
                }

                return Results.Stream(content, ContentTypeOf(name), name);
            }
        }
        catch (InvalidDataException)
        {
            // not a readable zip: as good as no such file
        }

        await zip.DisposeAsync();
        return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
    }

    /// <summary>The content type GitLab's clients expect for a file of that name: by extension, else <c>application/octet-stream</c>.</summary>
    public static string ContentTypeOf(string name) =>
        ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";

    /// <summary>GitLab's rule for <c>artifact_path</c>: a relative path without empty, <c>.</c> or <c>..</c> segments or NUL.</summary>
    public static bool IsValidEntryPath(string path) =>
        path.Length > 0 && !path.Contains('\0', StringComparison.Ordinal) && !path.StartsWith('/')
        && path.Split('/').All(s => s.Length > 0 && s is not ("." or ".."));

    private bool IsExpired(ArtifactRecord archive) =>
        DateTimeOffset.TryParse(archive.ExpireAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
        && at <= time.GetUtcNow();

    private static void Harden(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
    }
}
