namespace Relais.Server.Registry;

/// <summary>
/// Makes the host's Docker engine trust the registry's CA: <c>CERTS/ADDRESS/ca.crt</c> (<c>/etc/docker/certs.d</c>,
/// which Docker reads at each pull and push, without a restart), so the host's engine and the embedded runner pull
/// and push without further setup. Where it cannot be written (not root), says what to copy where.
/// </summary>
public static class RegistryHostTrust
{
    /// <summary>Writes the CA for <paramref name="address"/>; the file written, or null (and a logged instruction) when it could not be.</summary>
    public static async Task<string?> WriteAsync(string certsDirectory, string address, string caPem, string caPath, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var path = Path.Combine(certsDirectory, address, "ca.crt");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, caPem);
            return path;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            await log.WriteLineAsync($"relais: could not write {path} ({e.Message}): copy {caPath} there on every host whose Docker pushes to or pulls from {address}");
            return null;
        }
    }

    /// <summary>Removes <paramref name="path"/> (and its folder when empty) if it still holds <paramref name="caPem"/>.</summary>
    public static void Remove(string path, string caPem)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == caPem)
            {
                File.Delete(path);
                var folder = Path.GetDirectoryName(path)!;
                if (!Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Left for the next start to overwrite.
        }
    }
}
