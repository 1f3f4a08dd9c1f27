using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// A user's memberships, read once per request: direct roles on projects (by id) and roles on namespaces (by full
/// path), which a project inherits from every namespace above it. <see cref="LevelIn"/> is the highest that applies.
/// </summary>
public sealed record Memberships(IReadOnlyDictionary<long, AccessLevel> Projects, IReadOnlyDictionary<string, AccessLevel> Namespaces)
{
    public static Memberships None { get; } = new(new Dictionary<long, AccessLevel>(), new Dictionary<string, AccessLevel>(StringComparer.Ordinal));

    /// <summary>The highest role the memberships give on <paramref name="project"/>: its own, or its namespace's or any parent's.</summary>
    public AccessLevel LevelIn(ProjectRecord project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var direct = Projects.TryGetValue(project.Id, out var level) ? level : AccessLevel.NoAccess;
        var inherited = LevelInNamespace(project.Namespace);
        return inherited > direct ? inherited : direct;
    }

    /// <summary>The highest role the memberships give in the namespace <paramref name="fullPath"/>: its own or any parent's.</summary>
    public AccessLevel LevelInNamespace(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var level = AccessLevel.NoAccess;
        for (var ns = fullPath; ns.Length > 0; ns = ns.Contains('/', StringComparison.Ordinal) ? ns[..ns.LastIndexOf('/')] : "")
        {
            if (Namespaces.TryGetValue(ns, out var inherited) && inherited > level)
            {
                level = inherited;
            }
        }

        return level;
    }
}
