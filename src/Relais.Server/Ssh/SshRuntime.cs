using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Ssh;

/// <summary>
/// What the SSH account runs and reads, when that account is not the server's own (Relais run as root). sshd accepts an
/// <c>AuthorizedKeysCommand</c> only when every folder above it belongs to root and no one else may write it, and the
/// account must be able to reach the program and the shell secret; a checkout in <c>/tmp</c>, in <c>/root</c> or in a
/// 0700 temporary folder meets neither. So the folder <c>relais</c> runs from is copied, once per build, to
/// <c>/var/lib/relais/ssh/cli/HASH/</c> (root's, 0755; HASH of the files' names, sizes and times), and the account's
/// home with the secret is <c>/var/lib/relais/ssh/home/HASH-OF-DATA-FOLDER/</c> (the account's, 0700). The three newest
/// copies are kept; older ones are deleted.
/// </summary>
internal static class SshRuntime
{
    public const string DefaultRoot = "/var/lib/relais/ssh";

    private const int CopiesKept = 3;

    private static readonly UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The account's home for the server whose data folder is <paramref name="dataDir"/>.</summary>
    public static string HomeFor(string root, string dataDir) =>
        Path.Combine(CreateOpen(Path.Combine(CreateOpen(root), "home")), Hash(Path.GetFullPath(dataDir)));

    /// <summary>
    /// <paramref name="command"/> with its last element (the <c>relais</c> executable, or <c>relais.dll</c> under the
    /// <c>dotnet</c> host) moved into a root-owned copy of the folder it lies in.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static IReadOnlyList<string> Stage(string root, IReadOnlyList<string> command)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var program = Path.GetFullPath(command[^1]);
        var source = Path.GetDirectoryName(program)!;
        var copies = CreateOpen(Path.Combine(CreateOpen(root), "cli"));
        var target = Path.Combine(copies, FolderHash(source));
        if (!Directory.Exists(target))
        {
            var partial = target + ".partial-" + Environment.ProcessId;
            CopyFolder(source, partial);
            try
            {
                Directory.Move(partial, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another server staged the same build at the same time: theirs is as good.
                Directory.Delete(partial, recursive: true);
            }
        }

        Prune(copies, target);
        return [.. command.Take(command.Count - 1), Path.Combine(target, Path.GetRelativePath(source, program))];
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CopyFolder(string source, string target)
    {
        CreateOpen(target);
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            CreateOpen(Path.Combine(target, Path.GetRelativePath(source, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, copy);
            var executable = (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            File.SetUnixFileMode(copy, executable ? Open : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>Deletes all but the newest copies (the one in use always stays).</summary>
    private static void Prune(string copies, string inUse)
    {
        var old = new DirectoryInfo(copies).GetDirectories()
            .Where(d => d.FullName != inUse)
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Skip(CopiesKept - 1);
        foreach (var dir in old)
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // In use or going away: the next start tries again.
            }
        }
    }

    private static string FolderHash(string folder)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            text.Append(Path.GetRelativePath(folder, file)).Append('\0').Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        return Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>Creates the folder and any missing parent open to all (the server's umask would make them 0700), and returns it.</summary>
    private static string CreateOpen(string path)
    {
        if (Path.GetDirectoryName(path) is { } parent && !Directory.Exists(parent))
        {
            CreateOpen(parent);
        }

        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Open);
        }

        return path;
    }
}
