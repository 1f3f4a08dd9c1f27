using System.Globalization;

namespace Relais.Server.Artifacts;

/// <summary>Artifact bytes on disk: <c>DATA/artifacts/JOB/TYPE/FILENAME</c>. Writes go to a temporary file, then move into place.</summary>
public sealed class ArtifactBlobs(string directory)
{
    /// <summary>Stores <paramref name="content"/> and returns its path relative to the blob directory, and its size.</summary>
    public async Task<(string RelativePath, long Size)> SaveAsync(long jobId, string fileType, string filename, Stream content, CancellationToken cancel)
    {
        var safeName = Path.GetFileName(filename);
        if (safeName.Length == 0 || safeName is "." or "..")
        {
            safeName = "artifacts";
        }

        var relative = Path.Combine(jobId.ToString(CultureInfo.InvariantCulture), Path.GetFileName(fileType), safeName);
        var full = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".part-" + Guid.NewGuid().ToString("N");
        long size;
        await using (var file = File.Create(temp))
        {
            await content.CopyToAsync(file, cancel);
            size = file.Length;
        }

        File.Move(temp, full, overwrite: true);
        return (relative, size);
    }

    public string FullPath(string relativePath) => Path.Combine(directory, relativePath);
}
