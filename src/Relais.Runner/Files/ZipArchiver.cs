using System.IO.Compression;
using System.Text;

namespace Relais.Runner.Files;

/// <summary>
/// Writes and reads the zip archives of caches and artifacts: entries relative to the project directory, Unix modes in
/// the external attributes, symbolic links stored as links (the entry's content is the target), modification times
/// kept. Extraction skips entries that would land outside the target directory, by name or through a symbolic link.
/// </summary>
public static class ZipArchiver
{
    private const int TypeMask = 0xF000;
    private const int TypeLink = 0xA000;
    private const int TypeFile = 0x8000;
    private const int TypeDirectory = 0x4000;

    /// <summary>Writes <paramref name="entries"/> (from a <see cref="FileCollector"/>) under <paramref name="root"/> to <paramref name="output"/>.</summary>
    public static void Create(string root, IEnumerable<string> entries, Stream output, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        foreach (var name in entries)
        {
            var full = Path.Combine(root, name.TrimEnd('/'));
            var info = new FileInfo(full);
            if (info.LinkTarget is { } target)
            {
                var link = zip.CreateEntry(name.TrimEnd('/'), CompressionLevel.NoCompression);
                link.ExternalAttributes = (TypeLink | 0x1FF) << 16;
                link.LastWriteTime = SafeTime(info.LastWriteTime);
                using var stream = link.Open();
                stream.Write(Encoding.UTF8.GetBytes(target));
            }
            else if (name.EndsWith('/'))
            {
                if (!Directory.Exists(full))
                {
                    continue;
                }

                var directory = zip.CreateEntry(name, CompressionLevel.NoCompression);
                directory.ExternalAttributes = (TypeDirectory | ModeOf(full)) << 16;
                directory.LastWriteTime = SafeTime(Directory.GetLastWriteTime(full));
            }
            else if (info.Exists)
            {
                var file = zip.CreateEntry(name, level);
                file.ExternalAttributes = (TypeFile | ModeOf(full)) << 16;
                file.LastWriteTime = SafeTime(info.LastWriteTime);
                using var source = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                using var target2 = file.Open();
                source.CopyTo(target2, 81920);
            }
        }
    }

    /// <summary>Extracts <paramref name="input"/> into <paramref name="root"/>, overwriting files; returns the entry count.</summary>
    public static int Extract(Stream input, string root)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fullRoot = Path.GetFullPath(root).TrimEnd('/') + "/";
        Directory.CreateDirectory(fullRoot);
        using var zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true, Encoding.UTF8);
        var count = 0;
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(fullRoot, entry.FullName.Replace('\\', '/')));
            if (!(target + "/").StartsWith(fullRoot, StringComparison.Ordinal) || target + "/" == fullRoot || ThroughLink(fullRoot, target))
            {
                continue;
            }

            var mode = (entry.ExternalAttributes >> 16) & 0xFFFF;
            if (entry.FullName.EndsWith('/') || (mode & TypeMask) == TypeDirectory)
            {
                Directory.CreateDirectory(target);
            }
            else if ((mode & TypeMask) == TypeLink)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                var linkTarget = reader.ReadToEnd();
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Remove(target);
                File.CreateSymbolicLink(target, linkTarget);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                Remove(target);
                using (var source = entry.Open())
                using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                {
                    source.CopyTo(file, 81920);
                }

                if ((mode & 0x1FF) != 0 && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, (UnixFileMode)(mode & 0xFFF));
                }

                File.SetLastWriteTime(target, entry.LastWriteTime.DateTime);
            }

            count++;
        }

        return count;
    }

    /// <summary>
    /// True when a folder between <paramref name="fullRoot"/> and <paramref name="target"/> is a symbolic link: an
    /// archive that first makes <c>dir</c> a link to <c>/etc</c> and then writes <c>dir/passwd</c> would otherwise
    /// write outside the root while every name in it looks inside.
    /// </summary>
    private static bool ThroughLink(string fullRoot, string target)
    {
        var current = fullRoot.TrimEnd('/');
        var parts = target[fullRoot.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts[..^1])
        {
            current += "/" + part;
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static int ModeOf(string path) => OperatingSystem.IsWindows() ? 0x1ED : (int)File.GetUnixFileMode(path);

    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
    }

    private static DateTimeOffset SafeTime(DateTime time) =>
        time.Year < 1980 ? new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(time);
}
