namespace Relais.Server.Api;

/// <summary>
/// Top-level names no user or group may take: they are the server's own routes (<c>/api</c>, <c>/users</c>,
/// <c>/groups</c>, <c>/-/</c>…) or would look like an administrator.
/// </summary>
internal static class ReservedNamespaces
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "root", "admin", "administrator", "api", "users", "user", "help", "explore", "dashboard", "assets", "projects", "groups", "-", "settings",
    };

    public static bool Contains(string name) => Names.Contains(name);
}
