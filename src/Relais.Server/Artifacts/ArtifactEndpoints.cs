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
/// same pipeline. A dotenv report is parsed on upload (inflating at most GitLab's 5 KiB limit + 1 byte), so later
/// jobs get its variables; they are stored sealed with <see cref="SecretBox"/>. A re-upload replaces the old blob.
/// </summary>
internal sealed class ArtifactEndpoints(
    RequestLimits limits, JobAccess jobAccess, IPipelineStore pipelineStore, IArtifactStore artifactStore, PipelineDriver driver, ArtifactBlobs blobs, SecretBox secrets, TimeProvider time)
{
    private readonly MaskedValues _maskedValues = new(pipelineStore, secrets);

    /// <summary>Where a child pipeline finds its parent; null: only a job's own pipeline is readable.</summary>
    public IDownstreamStore? Links { get; init; }

    /// <summary>Lets a job's token read another project's job it names in <c>needs:project</c>; null: it may not.</summary>
    internal Pipelines.ProjectNeedArtifacts? ProjectNeeds { get; init; }

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

        // artifacts:name is expanded by the runner: a masked value in it is masked before the name is cut to its last
        // segment (a secret may hold a '/'), so it reaches neither the row nor the blob's path.
        var masked = await _maskedValues.OfAsync(job, http.RequestAborted);
        if (ArtifactNames.SafeFileName(MaskedValues.Mask(file.FileName, masked)) is not { } filename)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - file name is invalid");
        }

        string? dotenv = null;
        if (type == "dotenv")
        {
            await using var raw = file.OpenReadStream();
            var parsed = DotenvReport.Parse(await ReportReader.ReadAsync(raw, format, DotenvLimits.Default.MaxBytes, http.RequestAborted));
            if (!parsed.Succeeded)
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, "400 Bad request - " + parsed.Error);
            }

            // GitLab keeps dotenv variables as job variables, encrypted at rest: so does this row (a value may be a secret).
            dotenv = secrets.Protect(JsonSerializer.Serialize(parsed.Variables.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), ServerJsonContext.Default.DictionaryStringString));
        }

        // Everything is checked before anything is written: no refusal can leave a file behind.
        var now = time.GetUtcNow();
        var expireAt = ExpireIn.Parse(query["expire_in"].ToString(), now);
        var previous = await artifactStore.FindArtifactAsync(id, type, http.RequestAborted);
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

        // The blob is on disk: its row is written even if the runner hangs up now, so the two never disagree.
        try
        {
            await artifactStore.SaveArtifactAsync(
                new ArtifactRecord { JobId = id, FileType = type, FileFormat = format, Filename = filename, Size = size, BlobPath = path, DotenvJson = dotenv },
                now,
                expireAt,
                CancellationToken.None);
        }
        catch when (previous?.BlobPath != path)
        {
            blobs.Delete(path); // no row points at it
            throw;
        }

        if (previous is not null && previous.BlobPath != path)
        {
            blobs.Delete(previous.BlobPath); // a re-upload replaces the artifact of this job and type
        }

        return ApiResults.Code(StatusCodes.Status201Created);
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
        if (reader is null || !reader.IsProcessing || target is null || !await MayReadAsync(reader, target, http.RequestAborted))
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden);
        }

        if (await artifactStore.FindArtifactAsync(id, "archive", http.RequestAborted) is not { } archive || !File.Exists(blobs.FullPath(archive.BlobPath)))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound);
        }

        return Results.File(blobs.FullPath(archive.BlobPath), "application/zip", archive.Filename);
    }

    /// <summary>
    /// A job reads the artifacts of its own pipeline's jobs, and, in a child pipeline, of its parent pipeline's
    /// (<c>needs:pipeline:job</c>, <see cref="Links"/>).
    /// </summary>
    private async Task<bool> MayReadAsync(JobRecord reader, JobRecord target, CancellationToken cancel) =>
        target.PipelineId == reader.PipelineId
        || (Links is not null && await Links.UpstreamOfAsync(reader.PipelineId, cancel) is { } up && up.PipelineId == target.PipelineId
            && target.ProjectId == reader.ProjectId)
        || (ProjectNeeds is not null && await ProjectNeeds.MayReadAsync(reader, target, cancel));
}
