using Relais.Protocol.Jobs;

namespace Relais.Runner.Artifacts;

/// <summary>One artifact upload, as the runner API's <c>POST /jobs/:id/artifacts</c> describes it.</summary>
/// <param name="JobId">The job the artifact belongs to.</param>
/// <param name="JobToken">The job's token.</param>
/// <param name="FileName">The file name: the artifact's name plus the format's extension (<c>artifacts.zip</c>, <c>junit.xml.gz</c>).</param>
/// <param name="Type">The artifact type (<c>archive</c>, <c>junit</c>, <c>dotenv</c>, ...).</param>
/// <param name="Format">The format (<c>zip</c>, <c>gzip</c>, <c>raw</c>).</param>
/// <param name="ExpireIn">How long to keep it, as written in the job (<c>1 week</c>), or null.</param>
public sealed record ArtifactUpload(long JobId, string JobToken, string FileName, string Type, string Format, string? ExpireIn);

/// <summary>
/// Moves artifacts between jobs: the upload stage hands over each archive, the download stage asks for a dependency's
/// archive. The remote runner implements it over the runner API; local runs keep archives in a directory. Shared by
/// concurrent jobs, so implementations are thread-safe.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end) as <paramref name="upload"/>.</summary>
    Task UploadAsync(ArtifactUpload upload, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the archive (zip) of <paramref name="dependency"/>, or returns null when it has none.</summary>
    Task<Stream?> OpenDependencyAsync(JobDependency dependency, string jobToken, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps artifacts on the local disk as <c>&lt;root&gt;/&lt;job id&gt;/&lt;type&gt;/&lt;file name&gt;</c>, for local runs
/// and tests. <see cref="Find"/> lets the caller fill in <c>dependencies[].artifacts_file</c> and read reports (such as
/// dotenv, for <see cref="Relais.Protocol.Reports.DotenvReport"/>).
/// </summary>
public sealed class DirectoryArtifactStore : IArtifactStore
{
    private readonly string _root;

    /// <summary>Creates the store under <paramref name="root"/>.</summary>
    public DirectoryArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
    }

    /// <summary>The stored file of a job's artifact of <paramref name="type"/>, or null.</summary>
    public string? Find(long jobId, string type)
    {
        var dir = Path.Combine(_root, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture), type);
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault() : null;
    }

    /// <inheritdoc />
    public async Task UploadAsync(ArtifactUpload upload, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);
        var dir = Path.Combine(_root, upload.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture), Safe(upload.Type));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Safe(upload.FileName));
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        foreach (var old in Directory.EnumerateFiles(dir).Where(f => f != temporary))
        {
            File.Delete(old);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public Task<Stream?> OpenDependencyAsync(JobDependency dependency, string jobToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        var path = Find(dependency.Id, ArtifactTypes.Archive);
        return Task.FromResult<Stream?>(path is null ? null : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete));
    }

    private static string Safe(string name)
    {
        var file = Path.GetFileName(name);
        return file.Length == 0 || file is "." or ".." ? "artifact" : file;
    }
}
