namespace Relais.Runner.Files;

/// <summary>Directory removal that also works when a job left read-only directories behind (Go's module cache does).</summary>
public static class Directories
{
    /// <summary>Removes <paramref name="path"/> and everything below it, if it exists.</summary>
    public static void DeleteRecursively(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            // Like gitlab-runner's chmod -R u+rwX before cleanup: make every directory writable, then try again.
            foreach (var dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path))
            {
                if (new DirectoryInfo(dir).LinkTarget is null)
                {
                    File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(path, recursive: true);
        }
    }
}
