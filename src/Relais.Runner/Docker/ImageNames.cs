namespace Relais.Runner.Docker;

/// <summary>Image reference helpers: tags, registries, GitLab's default service aliases.</summary>
public static class ImageNames
{
    /// <summary>Splits <c>name[:tag][@digest]</c> into the repository and the tag (or digest); <c>latest</c> when neither.</summary>
    public static (string Image, string Tag) SplitTag(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (reference[..at], reference[(at + 1)..]);
        }

        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    /// <summary>The registry host of a reference (<c>docker.io</c> when its first part is not a host).</summary>
    public static string Registry(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "docker.io";
        }

        var first = reference[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }

    /// <summary>
    /// GitLab's default aliases of a service image: the name without tag or digest, with <c>/</c> replaced by
    /// <c>-</c> and by <c>__</c> (<c>tutum/wordpress:latest</c> → <c>tutum-wordpress</c>, <c>tutum__wordpress</c>).
    /// </summary>
    public static IReadOnlyList<string> DefaultAliases(string reference)
    {
        var (image, _) = SplitTag(reference ?? "");
        var dash = image.Replace('/', '-');
        var underscores = image.Replace("/", "__", StringComparison.Ordinal);
        return dash == underscores ? [dash] : [dash, underscores];
    }
}
