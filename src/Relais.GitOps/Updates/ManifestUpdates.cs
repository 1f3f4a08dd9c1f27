using Relais.GitOps.Sources;

namespace Relais.GitOps.Updates;

/// <summary>
/// Updates the manifests of a work tree: every <c>*.yaml</c>/<c>*.yml</c> under <c>update.path</c> (not following
/// links, never outside the tree, <c>.git</c> left out) gets the setter markers' images (<see cref="ImageSetters"/>)
/// and, when a registry is given, Flux v1's annotated workloads (<see cref="FluxV1Workloads"/>); changed files are
/// written back.
/// </summary>
public sealed class ManifestUpdates(string root, ITagSource? tags)
{
    /// <summary>Every value changed, by file (relative to the root, <c>/</c>-separated) and line.</summary>
    public async Task<IReadOnlyList<ObjectChange>> ApplyAsync(string updatePath, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updatePath);
        ArgumentNullException.ThrowIfNull(latest);
        var fullRoot = Path.GetFullPath(root);
        var folder = Path.GetFullPath(Path.Combine(fullRoot, updatePath.TrimStart('/')));
        if (folder != fullRoot && !folder.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new GitSourceException($"update.path \"{updatePath}\" is outside the repository");
        }

        var changes = new List<ObjectChange>();
        if (!Directory.Exists(folder))
        {
            return changes;
        }

        for (var dir = new DirectoryInfo(folder); dir.FullName.Length > fullRoot.Length; dir = dir.Parent!)
        {
            if (dir.LinkTarget is not null)
            {
                throw new GitSourceException($"update.path \"{updatePath}\" goes through a symbolic link ({Path.GetRelativePath(fullRoot, dir.FullName)})");
            }
        }

        foreach (var path in Manifests(folder))
        {
            var file = Path.GetRelativePath(fullRoot, path).Replace(Path.DirectorySeparatorChar, '/');
            var original = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var (text, setterChanges) = ImageSetters.Apply(original, policy => latest.GetValueOrDefault(policy));
            var all = setterChanges.ToList();
            if (tags is not null)
            {
                var (v1Text, v1Changes) = await FluxV1Workloads.ApplyAsync(file, text, tags, cancellationToken).ConfigureAwait(false);
                text = v1Text;
                all.AddRange(v1Changes);
            }

            if (all.Count == 0)
            {
                continue;
            }

            await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
            var objects = ManifestObjects.Of(file, text);
            changes.AddRange(all.OrderBy(c => c.Line).Select(c => new ObjectChange(file, objects.At(c.Line), c)));
        }

        return changes;
    }

    private static IEnumerable<string> Manifests(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + ".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
