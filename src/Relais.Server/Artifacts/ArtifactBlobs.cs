using System.Globalization;

namespace Relais.Server.Artifacts;

/// <summary>Artifact bytes on disk: <c>DATA/artifacts/JOB/TYPE/FILENAME</c>. Writes go to a temporary file, then move into place.</summary>
public sealed class ArtifactBlobs(string directory)
{
    /// <summary>Stores <paramref name="content"/> and returns its path relative to the blob directory, and its size.</summary>
    public async Task<(string RelativePath, long Size)> SaveAsync(long jobId, string fileType, string filename, Stream content, CancellationToken cancel)
    {
        // Both names are checked by ArtifactNames; cutting them to one segment again keeps every write under this job's folder.
        var safeName = Path.GetFileName(filename);
        var safeType = Path.GetFileName(fileType);
        if (safeName.Length == 0 || safeName is "." or ".." || safeType.Length == 0 || safeType is "." or "..")
        {
            throw new ArgumentException("an artifact name or type is not a plain file name");
        }

        var relative = Path.Combine(jobId.ToString(CultureInfo.InvariantCulture), safeType, safeName);
        var full = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".part-" + Guid.NewGuid().ToString("N");
        long size;
        try
        {
            await using var file = File.Create(temp);
            await content.CopyToAsync(file, cancel);
            await file.FlushAsync(cancel);
            size = file.Length;
        }
        catch
        {
            File.Delete(temp); // a full disk or a broken upload leaves nothing behind
            throw;
        }

        File.Move(temp, full, overwrite: true);
        return (relative, size);
    }

    /// <summary>
    /// Stores a package file of project <paramref name="projectId"/> under a fresh name (<c>packages/PROJECT/GUID</c>:
    /// a file uploaded again is a new file, as in GitLab), and returns its path, size and SHA-256 (hex).
    /// </summary>
    public async Task<(string RelativePath, long Size, string Sha256)> SavePackageFileAsync(long projectId, Stream content, CancellationToken cancel)
    {
        var relative = Path.Combine("packages", projectId.ToString(CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N"));
        var full = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".part";
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var file = File.Create(temp))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancel)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancel);
                    size += read;
                }

                await file.FlushAsync(cancel);
            }
        }
        catch
        {
            File.Delete(temp); // a body past its limit or a broken upload leaves nothing behind
            throw;
        }

        File.Move(temp, full);
        return (relative, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public string FullPath(string relativePath) => Path.Combine(directory, relativePath);

    /// <summary>Deletes a stored blob (one an upload replaced, or one whose row could not be written); a missing file is no error.</summary>
    public void Delete(string relativePath)
    {
        var full = Path.GetFullPath(FullPath(relativePath));
        if (full.StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            File.Delete(full);
        }
    }
}
