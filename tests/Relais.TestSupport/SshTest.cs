namespace Relais.TestSupport;

/// <summary>
/// Whether git over SSH can be tested here: OpenSSH's server (<c>sshd</c>, Debian <c>openssh-server</c>) and client
/// (<c>ssh</c>, <c>ssh-keygen</c>, <c>ssh-keyscan</c>; <c>openssh-client</c>), both installed by scripts/install-deps.sh.
/// </summary>
public static class SshTest
{
    private static readonly Lazy<string?> Missing = new(Check);

    /// <summary>Why the SSH tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Missing.Value;

    private static string? Check()
    {
        if (OperatingSystem.IsWindows())
        {
            return "git over SSH runs OpenSSH's sshd: Linux only";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        if (!path.Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, "sshd"))))
        {
            return "OpenSSH's sshd is not installed (scripts/install-deps.sh installs openssh-server)";
        }

        var missing = new[] { "ssh", "ssh-keygen", "ssh-keyscan", "git" }.Where(tool => !path.Any(d => File.Exists(Path.Combine(d, tool)))).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} not installed (scripts/install-deps.sh installs openssh-client and git)";
    }
}

/// <summary>A fact that is skipped, with the reason, where OpenSSH's server or client is missing.</summary>
public sealed class SshFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when OpenSSH is missing.</summary>
    public SshFactAttribute()
    {
        if (SshTest.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
