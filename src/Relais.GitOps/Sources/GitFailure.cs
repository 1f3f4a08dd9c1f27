namespace Relais.GitOps.Sources;

/// <summary>Reads git's standard error for the reason a remote call failed, in a few words a user can act on.</summary>
public static class GitFailure
{
    /// <summary>The reason: authentication failed, repository not found, unknown reference, host key rejected, or git's own words.</summary>
    public static string Reason(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        bool Has(string text) => error.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (Has("Host key verification failed") || Has("REMOTE HOST IDENTIFICATION HAS CHANGED") || Has("No ED25519 host key is known") || Has("host key is known"))
        {
            return "host key verification failed (check known_hosts)";
        }

        if (Has("Authentication failed") || Has("could not read Username") || Has("could not read Password") || Has("Permission denied")
            || Has("HTTP Basic: Access denied") || Has("The requested URL returned error: 401") || Has("The requested URL returned error: 403"))
        {
            return "authentication failed";
        }

        if (Has("couldn't find remote ref") || Has("unknown revision") || Has("not our ref"))
        {
            return "unknown reference";
        }

        if (Has("not found") || Has("does not appear to be a git repository") || Has("returned error: 404") || Has("does not exist"))
        {
            return "repository not found";
        }

        if (Has("[rejected]") || Has("non-fast-forward") || Has("fetch first"))
        {
            return "push rejected";
        }

        if (Has("Could not resolve host") || Has("Connection refused") || Has("Failed to connect") || Has("Connection timed out"))
        {
            return "cannot reach the server";
        }

        return "git failed";
    }

    /// <summary>The last non-empty line of git's standard error (git writes the cause last).</summary>
    public static string LastLine(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("hint:", StringComparison.Ordinal)).ToArray();
        return lines.Length == 0 ? "no message" : lines[^1];
    }
}
