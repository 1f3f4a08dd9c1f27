namespace Relais.Server.Auth;

/// <summary>
/// GitLab's deploy token scopes. Relais checks <see cref="ReadRepository"/> (clone and fetch over HTTP) and
/// <see cref="WriteRepository"/> (push); the registry scopes are stored and shown for the container and package
/// registries to come (issue #15), which should check them the same way: the token's project, then the scope.
/// </summary>
public static class DeployTokenScopes
{
    public const string ReadRepository = "read_repository";
    public const string WriteRepository = "write_repository";
    public const string ReadRegistry = "read_registry";
    public const string WriteRegistry = "write_registry";
    public const string ReadPackageRegistry = "read_package_registry";
    public const string WritePackageRegistry = "write_package_registry";

    /// <summary>Every scope a deploy token may have, in GitLab's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ReadRepository, ReadRegistry, WriteRegistry, ReadPackageRegistry, WritePackageRegistry, WriteRepository];

    /// <summary>The scopes named in <paramref name="requested"/> (each once, in <see cref="All"/>'s order), or null when one is unknown or none is given.</summary>
    public static IReadOnlyList<string>? Parse(IEnumerable<string> requested)
    {
        var names = requested.Select(s => s.Trim()).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        return names.Count == 0 || !names.All(All.Contains) ? null : [.. All.Where(names.Contains)];
    }
}
