namespace Relais.Server.Api;

/// <summary>
/// A file or directory path inside a repository as the API accepts it: URL-decoded, without leading or trailing
/// slashes, and with no empty, <c>.</c> or <c>..</c> segment and no control character, so it names a path of the tree
/// and nothing else.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The normalised path (empty: the root); null when <paramref name="raw"/> is not a plain path.</summary>
    public static string? Normalize(string? raw)
    {
        var path = Uri.UnescapeDataString(raw ?? "").Trim('/');
        return path.Length == 0 || IsPlain(path) ? path : null;
    }

    /// <summary>Whether an already decoded path (without leading or trailing slashes) names a path of the tree and nothing else.</summary>
    public static bool IsPlain(string path) =>
        !path.Split('/').Any(s => s is "" or "." or "..") && !path.Any(char.IsControl);
}
