using System.Formats.Tar;

namespace Relais.Runner.Executors.Docker;

/// <summary>
/// Moves the workspace between the runner's staging directories and the job's volume as tar streams (the Engine's
/// archive API): only what changed goes in; everything comes out and replaces the staging copy.
/// </summary>
internal static class WorkspaceTar
{
    /// <summary>
    /// Writes a tar of <paramref name="paths"/> (relative to <paramref name="hostDir"/>) to <paramref name="output"/>, each
    /// under <paramref name="prefix"/> (<c>a/b/project</c>), with directory entries for the prefix's parents.
    /// </summary>
    public static void Write(TarWriter writer, string prefix, string hostDir, IEnumerable<string> paths)
    {
        var parts = prefix.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, string.Join('/', parts[..i]) + "/") { Mode = DirMode });
        }

        foreach (var path in paths)
        {
            var full = Path.Combine(hostDir, path);
            var name = prefix + "/" + path;
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = DirMode });
            }
            else if (Directory.Exists(full))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = Readable(new DirectoryInfo(full).UnixFileMode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute) });
            }
            else if (info.Exists)
            {
                using var data = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = Readable(info.UnixFileMode), ModificationTime = info.LastWriteTimeUtc, DataStream = data });
            }
        }
    }

    /// <summary>
    /// Extracts a tar whose top entry is the directory itself into <paramref name="hostDir"/> (the top name stripped),
    /// then removes what the tar did not have; returns how many entries it held.
    /// </summary>
    public static async Task<int> ReplaceAsync(Stream tar, string hostDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(hostDir);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
            var relative = slash < 0 ? "" : entry.Name[(slash + 1)..].TrimEnd('/');
            if (relative.Length == 0 || relative.Split('/').Any(p => p is ".." or "."))
            {
                continue;
            }

            seen.Add(relative);
            var target = Path.Combine(hostDir, relative);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
                    {
                        File.Delete(target);
                    }

                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.SymbolicLink:
                    DeleteAny(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    DeleteAny(target);
                    var source = Path.Combine(hostDir, entry.LinkName[(entry.LinkName.IndexOf('/', StringComparison.Ordinal) + 1)..]);
                    File.Copy(source, target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null)
                    {
                        Directory.Delete(target, recursive: true);
                    }
                    else if (new FileInfo(target).LinkTarget is not null)
                    {
                        File.Delete(target);
                    }

                    await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
                    break;
                default:
                    break;
            }
        }

        RemoveUnseen(hostDir, "", seen);
        return seen.Count;
    }

    private const UnixFileMode DirMode = (UnixFileMode)0b111_101_101;

    /// <summary>
    /// The mode in the container: what the owner may read (and run) everyone may, as a checkout under umask 022 has it.
    /// The runner's staging copy may be owner-only (<c>relais serve</c> runs with umask 077), and a job image's own user
    /// is often not the owner of what the runner copies in.
    /// </summary>
    private static UnixFileMode Readable(UnixFileMode mode) =>
        mode
        | ((mode & UnixFileMode.UserRead) != 0 ? UnixFileMode.GroupRead | UnixFileMode.OtherRead : 0)
        | ((mode & UnixFileMode.UserExecute) != 0 ? UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0);

    private static void RemoveUnseen(string dir, string prefix, HashSet<string> seen)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            var path = prefix + info.Name;
            if (!seen.Contains(path))
            {
                DeleteAny(info.FullName);
            }
            else if (info is DirectoryInfo sub && sub.LinkTarget is null)
            {
                RemoveUnseen(sub.FullName, path + "/", seen);
            }
        }
    }

    private static void DeleteAny(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Files.Directories.DeleteRecursively(path);
        }
    }
}
