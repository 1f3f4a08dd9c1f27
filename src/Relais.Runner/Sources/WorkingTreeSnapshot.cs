using Relais.Git;

namespace Relais.Runner.Sources;

/// <summary>The file list of a working tree at one moment, and how to mirror it into a directory.</summary>
internal sealed class WorkingTreeSnapshot
{
    private readonly string _root;
    private readonly string[] _files;
    private readonly HashSet<string> _fileSet;
    private readonly HashSet<string> _directories;

    private WorkingTreeSnapshot(string root, IEnumerable<string> files)
    {
        _root = root;
        _files = files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _fileSet = new HashSet<string>(_files, StringComparer.Ordinal);
        _directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in _files)
        {
            for (var slash = file.LastIndexOf('/'); slash > 0; slash = file.LastIndexOf('/', slash - 1))
            {
                if (!_directories.Add(file[..slash]))
                {
                    break;
                }
            }
        }
    }

    public static async Task<WorkingTreeSnapshot> TakeAsync(string root)
    {
        if (Directory.Exists(Path.Combine(root, ".git")) || File.Exists(Path.Combine(root, ".git")))
        {
            var files = await GitRepository.At(root).ListFilesAsync(WorkingTreeFiles.Tracked | WorkingTreeFiles.Untracked, CancellationToken.None);
            if (files is not null)
            {
                var listed = new List<string>();
                foreach (var path in files)
                {
                    var full = Path.Combine(root, path);
                    if (Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
                    {
                        listed.AddRange(AllFiles(root, path)); // a submodule: its files as they are
                    }
                    else if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
                    {
                        listed.Add(path); // deleted tracked files are left out
                    }
                }

                return new WorkingTreeSnapshot(root, listed);
            }
        }

        return new WorkingTreeSnapshot(root, AllFiles(root, ""));
    }

    public (int Copied, int Unchanged, int Removed) SyncTo(string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var removed = RemoveExtra(target, "");
        int copied = 0, unchanged = 0;
        foreach (var file in _files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = new FileInfo(Path.Combine(_root, file));
            var to = new FileInfo(Path.Combine(target, file));
            if (from.LinkTarget is { } link)
            {
                if (to.LinkTarget == link)
                {
                    unchanged++;
                    continue;
                }

                Delete(to);
                Directory.CreateDirectory(to.DirectoryName!);
                File.CreateSymbolicLink(to.FullName, link);
            }
            else if (!from.Exists)
            {
                continue;
            }
            else if (to.Exists && to.LinkTarget is null && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
            {
                unchanged++;
                continue;
            }
            else
            {
                if (to.LinkTarget is not null || Directory.Exists(to.FullName))
                {
                    Delete(to);
                }

                Directory.CreateDirectory(to.DirectoryName!);
                from.CopyTo(to.FullName, overwrite: true);
                File.SetLastWriteTimeUtc(to.FullName, from.LastWriteTimeUtc);
            }

            copied++;
        }

        return (copied, unchanged, removed);
    }

    public IReadOnlyList<string> Untracked(string target)
    {
        var result = new List<string>();
        foreach (var file in AllFiles(target, ""))
        {
            if (!_fileSet.Contains(file))
            {
                result.Add(file);
            }
        }

        return result;
    }

    private int RemoveExtra(string target, string relativeDir)
    {
        var removed = 0;
        var dir = new DirectoryInfo(Path.Combine(target, relativeDir));
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            var relative = relativeDir.Length == 0 ? entry.Name : relativeDir + "/" + entry.Name;
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                if (_directories.Contains(relative))
                {
                    removed += RemoveExtra(target, relative);
                    continue;
                }

                Files.Directories.DeleteRecursively(entry.FullName);
                removed++;
            }
            else if (!_fileSet.Contains(relative))
            {
                entry.Delete();
                removed++;
            }
        }

        return removed;
    }

    private static void Delete(FileInfo info)
    {
        if (Directory.Exists(info.FullName) && info.LinkTarget is null)
        {
            Files.Directories.DeleteRecursively(info.FullName);
        }
        else if (info.Exists || info.LinkTarget is not null)
        {
            info.Delete();
        }
    }

    private static IEnumerable<string> AllFiles(string root, string relativeDir)
    {
        var pending = new Stack<string>([relativeDir]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in new DirectoryInfo(Path.Combine(root, dir)).EnumerateFileSystemInfos())
            {
                var relative = dir.Length == 0 ? entry.Name : dir + "/" + entry.Name;
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    // .relais/ holds local runs' builds: copying it into a build would copy builds into themselves.
                    if (entry.Name != ".git" && relative != ".relais")
                    {
                        pending.Push(relative);
                    }
                }
                else if (entry.Name != ".git")
                {
                    yield return relative;
                }
            }
        }
    }
}
