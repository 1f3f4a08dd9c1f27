using System.Net;
using System.Text;

namespace Relais.Server.Ssh;

/// <summary>
/// The <c>sshd_config</c> Relais runs OpenSSH with (<c>DATA/ssh/sshd_config</c>, rewritten at each start): public keys
/// only, answered by <c>relais ssh-keys</c> (<c>AuthorizedKeysCommand</c>, no <c>authorized_keys</c> files), one
/// account, no TTY, no forwarding of any kind, no environment from the client except <c>GIT_PROTOCOL</c>, no
/// subsystems (no SFTP), no PAM.
/// </summary>
internal static class SshdConfig
{
    /// <param name="relaisCommand">How sshd starts relais (executable, and relais.dll under dotnet).</param>
    /// <param name="commandOptions">The options both commands get: the coordinator's internal URL and the secret file.</param>
    public static string Build(int port, IReadOnlyList<string> listen, IReadOnlyList<string> hostKeys, SshAccount account, IReadOnlyList<string> relaisCommand, IReadOnlyList<string> commandOptions)
    {
        var keysCommand = string.Join(' ', relaisCommand.Concat(["ssh-keys"]).Concat(commandOptions).Select(Escape)) + " %t %k";
        var text = new StringBuilder()
            .AppendLine("# Written by relais serve at each start; edits are lost. See docs/ssh.md.")
            .AppendLine(FormattableString.Invariant($"Port {port}"));
        foreach (var address in listen)
        {
            text.AppendLine("ListenAddress " + address);
        }

        foreach (var key in hostKeys)
        {
            text.AppendLine("HostKey " + Escape(key));
        }

        return text
            .AppendLine("PidFile none")
            .AppendLine("AuthorizedKeysFile none")
            .AppendLine("AuthorizedKeysCommand " + keysCommand)
            .AppendLine("AuthorizedKeysCommandUser " + account.Name)
            .AppendLine("AllowUsers " + account.Name)
            .AppendLine("PubkeyAuthentication yes")
            .AppendLine("PasswordAuthentication no")
            .AppendLine("KbdInteractiveAuthentication no")
            .AppendLine("HostbasedAuthentication no")
            .AppendLine("PermitRootLogin no")
            .AppendLine("PermitEmptyPasswords no")
            .AppendLine("UsePAM no")
            .AppendLine("PermitTTY no")
            .AppendLine("DisableForwarding yes")
            .AppendLine("AllowTcpForwarding no")
            .AppendLine("AllowAgentForwarding no")
            .AppendLine("AllowStreamLocalForwarding no")
            .AppendLine("X11Forwarding no")
            .AppendLine("PermitTunnel no")
            .AppendLine("PermitUserEnvironment no")
            .AppendLine("PermitUserRC no")
            .AppendLine("AcceptEnv GIT_PROTOCOL")
            .AppendLine("PrintMotd no")
            .AppendLine("PrintLastLog no")
            .AppendLine("UseDNS no")
            .AppendLine("StrictModes yes")
            .AppendLine("LoginGraceTime 30")
            .AppendLine("MaxAuthTries 6")
            .AppendLine("ClientAliveInterval 60")
            .AppendLine("LogLevel INFO")
            .ToString();
    }

    /// <summary>
    /// Where sshd listens: 127.0.0.1 always, and the addresses the HTTP listen URLs name (a wildcard host — <c>0.0.0.0</c>,
    /// <c>*</c>, <c>+</c> — listens everywhere, as HTTP does; <c>localhost</c> is 127.0.0.1; other host names are skipped).
    /// </summary>
    public static IReadOnlyList<string> ListenAddresses(string urls)
    {
        var addresses = new List<string> { "127.0.0.1" };
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = HostOf(url);
            var address = host is "*" or "+" or "0.0.0.0" ? "0.0.0.0"
                : host is "[::]" ? "[::]"
                : host == "localhost" ? "127.0.0.1"
                : IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + ip + "]" : ip.ToString())
                : null;
            if (address is not null && !addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }

        // A wildcard covers the loopback address; binding both would fail on the second.
        return addresses.Contains("0.0.0.0") ? [.. addresses.Where(a => a.StartsWith('[') || a == "0.0.0.0")] : addresses;
    }

    private static string HostOf(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        rest = rest.Split('/')[0];
        if (rest.StartsWith('['))
        {
            return rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)];
        }

        var colon = rest.LastIndexOf(':');
        return colon < 0 ? rest : rest[..colon];
    }

    /// <summary>A path or option as one sshd_config word: no whitespace or quotes (refused), <c>%</c> doubled (sshd expands <c>%x</c>).</summary>
    private static string Escape(string word)
    {
        if (word.Length == 0 || word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' || char.IsControl(c)))
        {
            throw new InvalidOperationException($"git over SSH needs paths without spaces or quotes: `{word}`");
        }

        return word.Replace("%", "%%", StringComparison.Ordinal);
    }
}
