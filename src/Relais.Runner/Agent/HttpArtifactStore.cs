using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;

namespace Relais.Runner.Agent;

/// <summary>
/// Artifacts over the runner API: uploads are <c>POST /jobs/:id/artifacts</c> (multipart, one <c>file</c> part,
/// <c>artifact_format</c>/<c>artifact_type</c>/<c>expire_in</c> in the query, <c>JOB-TOKEN</c>), downloads are
/// <c>GET /jobs/:id/artifacts</c> of the dependency with the running job's token (as current GitLab expects). 5xx, 408,
/// 429 and broken connections are retried with the client's backoff; a 413 or 403 fails at once.
/// </summary>
public sealed class HttpArtifactStore : IArtifactStore
{
    private readonly RunnerApiClient _client;

    /// <summary>Creates the store over <paramref name="client"/>.</summary>
    public HttpArtifactStore(RunnerApiClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <inheritdoc />
    public async Task UploadAsync(ArtifactUpload upload, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);

        // The archive is read once into a temporary file, so each retry can send it again from the start.
        var temporary = Path.Combine(Path.GetTempPath(), "relais-artifact-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            var query = Query(("artifact_format", upload.Format), ("artifact_type", upload.Type), ("expire_in", upload.ExpireIn));
            var (response, error) = await _client.SendAsync(
                () =>
                {
                    var form = new MultipartFormDataContent();
                    var part = new StreamContent(File.OpenRead(temporary));
                    part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(part, "file", upload.FileName);
                    var message = new HttpRequestMessage(HttpMethod.Post, $"jobs/{Id(upload.JobId)}/artifacts{query}") { Content = form };
                    message.Headers.Add("JOB-TOKEN", upload.JobToken);
                    message.Headers.ExpectContinue = true; // a refusal (413, 507) arrives before the archive is sent
                    return message;
                },
                retry: true, cancellationToken);
            using (response)
            {
                if (response is null)
                {
                    throw new HttpRequestException($"cannot upload {upload.FileName}: {error}");
                }

                if (!response.IsSuccessStatusCode)
                {
                    var why = response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? "too large for the server" : $"{(int)response.StatusCode} {response.ReasonPhrase}";
                    throw new HttpRequestException($"uploading {upload.FileName} failed: {why}", null, response.StatusCode);
                }
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenDependencyAsync(JobDependency dependency, string jobToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        var (response, error) = await _client.SendAsync(
            () =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, $"jobs/{Id(dependency.Id)}/artifacts");
                message.Headers.Add("JOB-TOKEN", jobToken);
                return message;
            },
            retry: true, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        if (response is null)
        {
            throw new HttpRequestException($"cannot download the artifacts of {dependency.Name}: {error}");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new HttpRequestException($"downloading the artifacts of {dependency.Name} failed: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }
        }

        // Extraction needs to seek (zip), so the archive is copied to a file that is deleted when the stream closes.
        var temporary = Path.Combine(Path.GetTempPath(), "relais-dependency-" + Guid.NewGuid().ToString("N"));
        var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using (response)
        {
            await response.Content.CopyToAsync(file, cancellationToken);
        }

        file.Position = 0;
        return file;
    }

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
