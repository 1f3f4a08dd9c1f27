using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Protocol.Reports;
using Relais.Server.Auth;
using Relais.Server.RunnerApi;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Artifacts;

/// <summary>
/// <c>POST /api/v4/jobs/:id/artifacts</c> (multipart <c>file</c>; <c>artifact_type</c>, <c>artifact_format</c>,
/// <c>expire_in</c> in the query) and <c>GET /api/v4/jobs/:id/artifacts</c> with the token of a running job of the
/// same pipeline. A dotenv report is parsed on upload, so later jobs get its variables.
/// </summary>
internal sealed class ArtifactEndpoints(RequestLimits limits, JobAccess jobAccess, IPipelineStore pipelineStore, IArtifactStore artifactStore, PipelineDriver driver, ArtifactBlobs blobs, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/jobs/{id:long}/artifacts", (HttpContext http, long id) => UploadAsync(http, id)).DisableAntiforgery();
        app.MapGet("/api/v4/jobs/{id:long}/artifacts", (HttpContext http, long id) => DownloadAsync(http, id));
    }

    private async Task<IResult> UploadAsync(HttpContext http, long id)
    {
        var (job, denied) = await jobAccess.CheckAsync(http, id);
        if (denied is not null || job is null)
        {
            return denied!;
        }

        var query = http.Request.Query;
        var type = query["artifact_type"].ToString() is { Length: > 0 } t ? t : "archive";
        var format = query["artifact_format"].ToString() is { Length: > 0 } f ? f : "zip";
        if (ArtifactNames.Problem(type, format) is { } problem)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - " + problem);
        }

        var form = http.Request.HasFormContentType
            ? await FormReader.ReadAsync(http.Request, new FormOptions { MultipartBodyLengthLimit = limits.Artifact })
            : null;
        if (form?.Files.GetFile("file") is not { } file)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - file is missing");
        }

        if (ArtifactNames.SafeFileName(file.FileName) is not { } filename)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - file name is invalid");
        }

        string? dotenv = null;
        if (type == "dotenv")
        {
            await using var raw = file.OpenReadStream();
            var parsed = DotenvReport.Parse(await ReadReportAsync(raw, format, http.RequestAborted));
            if (!parsed.Succeeded)
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - " + parsed.Error);
            }

            dotenv = JsonSerializer.Serialize(parsed.Variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), ServerJsonContext.Default.DictionaryStringString);
        }

        await using var content = file.OpenReadStream();
        string path;
        long size;
        try
        {
            (path, size) = await blobs.SaveAsync(id, type, filename, content, http.RequestAborted);
        }
        catch (IOException e) when (DiskFull.Is(e))
        {
            // The artifact cannot be kept, so the job cannot have succeeded: fail it, saying why.
            await driver.ApplyAsync(job.PipelineId, new JobFinished(time.GetUtcNow(), job.Name, job.Attempt, false, null, StorageFailure.Reason));
            http.Response.Headers["Job-Status"] = ((await pipelineStore.GetJobAsync(id, http.RequestAborted))?.Status ?? job.Status).ToGitLab();
            return ApiResults.Error(StatusCodes.Status507InsufficientStorage, HostileInputGuard.StorageFull);
        }

        var now = time.GetUtcNow();
        // The blob is on disk: its row is written even if the runner hangs up now, so the two never disagree.
        await artifactStore.SaveArtifactAsync(
            new ArtifactRecord { JobId = id, FileType = type, FileFormat = format, Filename = filename, Size = size, BlobPath = path, DotenvJson = dotenv },
            now,
            ExpireIn.Parse(query["expire_in"].ToString(), now),
            CancellationToken.None);
        return ApiResults.Code(StatusCodes.Status201Created);
    }

    private static async Task<byte[]> ReadReportAsync(Stream raw, string format, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        if (format == "gzip")
        {
            await using var gzip = new GZipStream(raw, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer, cancel);
        }
        else
        {
            await raw.CopyToAsync(buffer, cancel);
        }

        return buffer.ToArray();
    }

    private async Task<IResult> DownloadAsync(HttpContext http, long id)
    {
        var token = RequestTokens.Job(http.Request) ?? http.Request.Query["job_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return ApiResults.Error(StatusCodes.Status401Unauthorized);
        }

        var reader = await pipelineStore.FindJobByTokenAsync(Tokens.Hash(token), http.RequestAborted);
        if (reader is null)
        {
            AuthEvents.Failed(http, TokenKind.Job, token);
        }
        else
        {
            AuthEvents.Succeeded(http, TokenKind.Job, reader.Id, $"job #{reader.Id}", token);
        }

        var target = await pipelineStore.GetJobAsync(id, http.RequestAborted);
        if (reader is null || !reader.IsProcessing || target is null || target.PipelineId != reader.PipelineId)
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        if (await artifactStore.FindArtifactAsync(id, "archive", http.RequestAborted) is not { } archive || !File.Exists(blobs.FullPath(archive.BlobPath)))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound);
        }

        return Results.File(blobs.FullPath(archive.BlobPath), "application/zip", archive.Filename);
    }
}
