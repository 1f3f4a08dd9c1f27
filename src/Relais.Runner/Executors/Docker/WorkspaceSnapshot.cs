namespace Relais.Runner.Executors.Docker;

/// <summary>What a directory tree holds, by relative path: enough to tell what changed since the last sync.</summary>
internal sealed class WorkspaceSnapshot
{
    private WorkspaceSnapshot(Dictionary<string, Entry> entries) => Entries = entries;

    /// <summary>An empty tree (nothing synced yet).</summary>
    public static WorkspaceSnapshot Empty { get; } = new(new Dictionary<string, Entry>(StringComparer.Ordinal));

    /// <summary>Relative path (with <c>/</c>) → entry.</summary>
    public IReadOnlyDictionary<string, Entry> Entries { get; }

    /// <summary>Reads <paramref name="root"/> (symbolic links are not followed); an absent directory is empty.</summary>
    public static WorkspaceSnapshot Take(string root)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            Walk(new DirectoryInfo(root), "", entries);
        }

        return new WorkspaceSnapshot(entries);
    }

    /// <summary>The paths that are new or changed here compared with <paramref name="before"/>, parents first.</summary>
    public IEnumerable<string> ChangedSince(WorkspaceSnapshot before) =>
        Entries.Where(e => !before.Entries.TryGetValue(e.Key, out var old) || old != e.Value).Select(e => e.Key).Order(StringComparer.Ordinal);

    /// <summary>The paths <paramref name="before"/> had and this tree has not (only the topmost of a removed subtree).</summary>
    public IEnumerable<string> RemovedSince(WorkspaceSnapshot before)
    {
        var removed = before.Entries.Keys.Where(k => !Entries.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        string? last = null;
        foreach (var path in removed)
        {
            if (last is not null && path.StartsWith(last + "/", StringComparison.Ordinal))
            {
                continue;
            }

            last = path;
            yield return path;
        }
    }

    private static void Walk(DirectoryInfo dir, string prefix, Dictionary<string, Entry> entries)
    {
        foreach (var info in dir.EnumerateFileSystemInfos())
        {
            var path = prefix + info.Name;
            if (info.LinkTarget is { } target)
            {
                entries[path] = new Entry(EntryKind.Link, 0, 0, target);
            }
            else if (info is DirectoryInfo sub)
            {
                entries[path] = new Entry(EntryKind.Directory, 0, 0, null);
                Walk(sub, path + "/", entries);
            }
            else if (info is FileInfo file)
            {
                entries[path] = new Entry(EntryKind.File, file.Length, file.LastWriteTimeUtc.Ticks, null, (int)file.UnixFileMode);
            }
        }
    }

    /// <summary>A file system entry.</summary>
    internal enum EntryKind
    {
        File,
        Directory,
        Link,
    }

    /// <summary>One entry: kind, size and modification time of files, target of links, mode of files.</summary>
    internal readonly record struct Entry(EntryKind Kind, long Size, long Modified, string? LinkTarget, int Mode = 0);
}
