namespace Relais.GitOps.Appliers.Docker;

/// <summary>One published port written the same way from a compose file and from a service spec, so they can be compared: <c>8080:80/tcp host</c>.</summary>
public static class PublishedPort
{
    /// <summary>The port in the common form; no published port is <c>:80/tcp ingress</c> (Swarm picks one).</summary>
    public static string Format(string? published, string target, string? protocol, string? mode) =>
        $"{(published is null or "0" ? "" : published)}:{target}/{protocol ?? "tcp"} {mode ?? "ingress"}";

    /// <summary>Compose's short syntax: <c>80</c>, <c>8080:80</c>, <c>127.0.0.1:8080:80/udp</c> (ranges are kept as written).</summary>
    public static string Parse(string shortForm)
    {
        var slash = shortForm.IndexOf('/', StringComparison.Ordinal);
        var protocol = slash < 0 ? null : shortForm[(slash + 1)..];
        var parts = (slash < 0 ? shortForm : shortForm[..slash]).Split(':');
        return Format(parts.Length > 1 ? parts[^2] : null, parts[^1], protocol, null);
    }
}
