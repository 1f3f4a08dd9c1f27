namespace Relais.Server.Registry;

/// <summary>Where Distribution's registry program is (<c>relais serve</c> turns the registry on by default only when it is installed).</summary>
public static class DockerRegistry
{
    /// <summary>The default <c>--registry-port</c> (GitLab's registry port).</summary>
    public const int DefaultPort = 5050;

    /// <summary><c>docker-registry</c>'s path (Debian's package of the CNCF Distribution registry): on PATH or in /usr/bin; null when it is not installed.</summary>
    public static string? Find()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin");
        return dirs.Select(d => Path.Combine(d, "docker-registry")).FirstOrDefault(File.Exists);
    }
}
