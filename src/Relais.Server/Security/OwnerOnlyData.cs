using System.Runtime.InteropServices;

namespace Relais.Server.Security;

/// <summary>
/// Keeps the data directory to the server's OS user: the folder itself 0700, and what is directly in it without
/// group/other bits (files 0600, folders 0700) — the folder's own mode already stops anyone else from reaching deeper,
/// so a start does not walk every build and repository. <see cref="RestrictProcessUmask"/> (umask 077, at
/// <c>relais serve</c> start) makes everything created later owner-only too: database, secret key, traces, artifacts,
/// repositories, builds. Nothing on Windows.
/// </summary>
public static partial class OwnerOnlyData
{
    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Sets the process umask to 077: files the server (and its embedded runner's shell jobs) create are owner-only.</summary>
    public static void RestrictProcessUmask()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>Creates <paramref name="dataDir"/> (0700) or takes the group and other bits off it and its entries.</summary>
    public static void Secure(string dataDir)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDir);
            return;
        }

        Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Restrict(dataDir);
        foreach (var entry in new DirectoryInfo(dataDir).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is null)
            {
                Restrict(entry.FullName);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Restrict(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupAndOther) != 0)
            {
                File.SetUnixFileMode(path, mode & ~GroupAndOther);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (a mount point, another owner): the folder's own mode still applies.
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
