using Relais.Server.Storage;

namespace Relais.Server.Registry;

/// <summary>A registry repository's project and its name below the project (<c>""</c> for the project's own image).</summary>
public sealed record RegistryRepositoryTarget(ProjectRecord Project, string Rest);

/// <summary>
/// Finds the project a registry repository belongs to (<see cref="RegistryRepositoryName.Splits"/>): registry names
/// are lowercase while project paths may not be, so a name matches a project's path in any case. Most paths are
/// lowercase and found by one exact lookup per split; only a name that matches none is compared with every project's path.
/// </summary>
internal sealed class RegistryProjects(IProjectStore projects)
{
    public async Task<RegistryRepositoryTarget?> ResolveAsync(string name, CancellationToken cancel)
    {
        var splits = RegistryRepositoryName.Splits(name).ToList();
        foreach (var (path, below) in splits)
        {
            if (await projects.FindProjectAsync(path, cancel) is { } exact)
            {
                return new RegistryRepositoryTarget(exact, below);
            }
        }

        if (splits.Count == 0)
        {
            return null;
        }

        var byLowerPath = (await projects.ListProjectsAsync(cancel))
            .GroupBy(p => p.Path.ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return splits.Select(s => byLowerPath.TryGetValue(s.ProjectPath, out var p) ? new RegistryRepositoryTarget(p, s.Below) : null).FirstOrDefault(t => t is not null);
    }
}
