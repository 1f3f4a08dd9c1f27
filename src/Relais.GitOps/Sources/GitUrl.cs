namespace Relais.GitOps.Sources;

/// <summary>
/// A repository URL split from any user information in it: <see cref="Address"/> is what git is given and messages
/// show (an <c>https://user:token@host/…</c> URL's credentials become the call's credentials instead). SSH is
/// <c>ssh://</c> or scp-like <c>user@host:path</c>.
/// </summary>
public sealed record GitUrl(string Address, bool IsSsh, string? Username, string? Password)
{
    /// <summary>The URL as messages show it.</summary>
    public string Display => Address;

    public static GitUrl Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            if (uri.UserInfo.Length == 0)
            {
                return new GitUrl(url, false, null, null);
            }

            var parts = uri.UserInfo.Split(':', 2);
            var address = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
            return new GitUrl(address, false, Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null);
        }

        var ssh = url.StartsWith("ssh://", StringComparison.Ordinal)
            || (!url.Contains("://", StringComparison.Ordinal) && url.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
                && url.IndexOf('/', StringComparison.Ordinal) is var slash && (slash < 0 || slash > colon));
        return new GitUrl(url, ssh, null, null);
    }
}
