using Relais.GitOps.Config;

namespace Relais.GitOps.Agent;

/// <summary>
/// Finds the resource a person names on the command line: <c>name</c>, <c>kind/name</c>, <c>namespace/name</c> or
/// <c>kind/namespace/name</c> (kinds case-insensitive); a name that fits several resources is an error listing them.
/// </summary>
public static class ResourceNames
{
    public static GitOpsResource? Find(GitOpsConfig config, string name, out string? error)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        var candidates = config.Resources.Where(r => r is not Secret && Fits(r, parts)).ToList();
        error = candidates.Count switch
        {
            0 => $"no resource is named \"{name}\" (use name, kind/name or namespace/name)",
            1 => null,
            _ => $"\"{name}\" is ambiguous: {string.Join(", ", candidates.Select(Canonical))}",
        };
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>The name that fits only <paramref name="resource"/>: <c>Kind/namespace/name</c>.</summary>
    public static string Canonical(GitOpsResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"{resource.Kind}/{resource.Namespace}/{resource.Name}";
    }

    /// <summary>Whether <paramref name="name"/> names <paramref name="resource"/>.</summary>
    public static bool Fits(GitOpsResource resource, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Fits(resource, name.Split('/'));
    }

    private static bool Fits(GitOpsResource resource, string[] parts) => parts switch
    {
        [var n] => resource.Name == n,
        [var first, var n] => resource.Name == n && (KindIs(resource, first) || resource.Namespace == first),
        [var kind, var ns, var n] => resource.Name == n && resource.Namespace == ns && KindIs(resource, kind),
        _ => false,
    };

    private static bool KindIs(GitOpsResource resource, string kind) => string.Equals(resource.Kind, kind, StringComparison.OrdinalIgnoreCase);
}
