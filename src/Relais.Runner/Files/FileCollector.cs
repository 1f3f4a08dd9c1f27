namespace Relais.Runner.Files;

/// <summary>What <see cref="FileCollector.Collect"/> found.</summary>
/// <param name="Entries">Paths relative to the project directory (directories end in <c>/</c>), sorted, without duplicates.</param>
/// <param name="Messages">One line per pattern for the log: how many entries it matched, or a warning.</param>
public sealed record CollectedFiles(IReadOnlyList<string> Entries, IReadOnlyList<CollectMessage> Messages);

/// <summary>A log line about one pattern.</summary>
/// <param name="Text">The message.</param>
/// <param name="IsWarning">Whether it is a warning (no match, outside the project).</param>
public readonly record struct CollectMessage(string Text, bool IsWarning);

/// <summary>
/// Finds the files of an artifact or cache: each path pattern (a directory means everything below it), plus the
/// untracked files when asked, minus the exclude patterns (which also exclude whole directories). Patterns are
/// relative to the project directory; an absolute one must point inside it (as scripts see it). Symbolic links are
/// kept as links, never followed.
/// </summary>
public static class FileCollector
{
    /// <summary>Collects the entries under <paramref name="hostProjectDir"/>.</summary>
    /// <param name="hostProjectDir">The project directory on this host.</param>
    /// <param name="scriptProjectDir">The project directory as scripts see it (for absolute patterns).</param>
    /// <param name="paths">The (already expanded) path patterns.</param>
    /// <param name="exclude">The (already expanded) exclude patterns.</param>
    /// <param name="untracked">Untracked files to add, or null.</param>
    public static CollectedFiles Collect(
        string hostProjectDir, string scriptProjectDir, IEnumerable<string> paths, IEnumerable<string> exclude,
        IReadOnlyList<string>? untracked = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(exclude);
        var excludes = exclude.Select(e => Relative(e, scriptProjectDir)).OfType<string>().Select(e => new PathGlob(e)).ToArray();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var messages = new List<CollectMessage>();
        foreach (var raw in paths)
        {
            var relative = Relative(raw, scriptProjectDir);
            if (relative is null)
            {
                messages.Add(new($"{raw}: artifact path is not a subpath of project directory: {scriptProjectDir}", true));
                continue;
            }

            var matches = Match(hostProjectDir, new PathGlob(relative)).Where(e => !IsExcluded(e, excludes)).ToList();
            found.UnionWith(matches);
            messages.Add(matches.Count == 0
                ? new($"{raw}: no matching files. Ensure that the artifact path is relative to the working directory ({scriptProjectDir})", true)
                : new($"{raw}: found {matches.Count} matching artifact files and directories", false));
        }

        if (untracked is not null)
        {
            var matches = untracked.Select(PathGlob.Normalize).Where(e => e.Length > 0 && !IsExcluded(e, excludes)).ToList();
            found.UnionWith(matches);
            messages.Add(new($"untracked: found {matches.Count} files", false));
        }

        return new CollectedFiles(found.ToArray(), messages);
    }

    private static string? Relative(string pattern, string scriptProjectDir)
    {
        var normalized = PathGlob.Normalize(pattern);
        if (normalized.StartsWith('/'))
        {
            var root = PathGlob.Normalize(scriptProjectDir);
            if (normalized == root)
            {
                return "";
            }

            if (!normalized.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return null;
            }

            normalized = normalized[(root.Length + 1)..];
        }

        return normalized.Split('/').Contains("..") ? null : normalized;
    }

    private static bool IsExcluded(string entry, PathGlob[] excludes)
    {
        if (excludes.Length == 0)
        {
            return false;
        }

        var path = entry.TrimEnd('/');
        for (var cut = path.Length; cut > 0; cut = path.LastIndexOf('/', cut - 1))
        {
            var prefix = path[..cut];
            if (excludes.Any(e => e.IsMatch(prefix)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Match(string root, PathGlob glob)
    {
        if (glob.Pattern.Length == 0)
        {
            return Subtree(root, "");
        }

        if (glob.IsLiteral)
        {
            var full = Path.Combine(root, glob.Pattern);
            var info = new FileInfo(full);
            if (info.Exists || info.LinkTarget is not null)
            {
                return [glob.Pattern];
            }

            return Directory.Exists(full) ? Subtree(root, glob.Pattern) : [];
        }

        var results = new List<string>();
        var start = glob.BaseDirectory;
        if (start.Length == 0 || Directory.Exists(Path.Combine(root, start)))
        {
            Walk(root, start, glob, results);
        }

        return results;
    }

    private static void Walk(string root, string relativeDir, PathGlob glob, List<string> results)
    {
        var depth = relativeDir.Length == 0 ? 0 : relativeDir.Count(c => c == '/') + 1;
        foreach (var entry in new DirectoryInfo(Path.Combine(root, relativeDir)).EnumerateFileSystemInfos())
        {
            var relative = relativeDir.Length == 0 ? entry.Name : relativeDir + "/" + entry.Name;
            var isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            if (glob.IsMatch(relative))
            {
                results.AddRange(isDirectory ? Subtree(root, relative) : [relative]);
            }
            else if (isDirectory && (glob.MaxDepth is null || depth + 1 < glob.MaxDepth))
            {
                Walk(root, relative, glob, results);
            }
        }
    }

    /// <summary>A directory and everything below it: directories with a trailing <c>/</c>, links not followed.</summary>
    private static List<string> Subtree(string root, string relativeDir)
    {
        var results = new List<string>();
        if (relativeDir.Length > 0)
        {
            results.Add(relativeDir + "/");
        }

        var pending = new Stack<string>([relativeDir]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in new DirectoryInfo(Path.Combine(root, dir)).EnumerateFileSystemInfos())
            {
                var relative = dir.Length == 0 ? entry.Name : dir + "/" + entry.Name;
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    results.Add(relative + "/");
                    pending.Push(relative);
                }
                else
                {
                    results.Add(relative);
                }
            }
        }

        return results;
    }
}
