namespace Relais.Server.Ssh;

/// <summary>Where OpenSSH's server program is (<c>relais serve</c> turns SSH on by default only when it is installed).</summary>
public static class Sshd
{
    /// <summary>The default <c>--ssh-port</c>.</summary>
    public const int DefaultPort = 2222;

    /// <summary>sshd's path: on PATH, else the usual sbin folders; null when OpenSSH's server is not installed.</summary>
    public static string? Find()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]);
        return dirs.Select(d => Path.Combine(d, "sshd")).FirstOrDefault(File.Exists);
    }
}
