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
        if (path.Length == 0)
        {
            return "";
        }

        return path.Split('/').Any(s => s is "" or "." or "..") || path.Any(char.IsControl) ? null : path;
    }
}
