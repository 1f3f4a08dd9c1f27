using System.Net;

namespace Relais.Server.Ssh;

/// <summary>
/// Git over SSH for <c>relais serve</c>, in two steps around the web server's start. <see cref="PrepareAsync"/> (before
/// the endpoints exist): the OS account (<see cref="SshAccount"/>), <c>DATA/ssh/</c> (0700: config, host keys, pid),
/// the account's home (0700, with the <see cref="SshShellSecret"/>): <c>DATA/ssh-home/</c> when the account is the
/// server's own, else a folder outside the data folder, next to a root-owned copy of the program (<see cref="SshRuntime"/>),
/// so the data folder stays owner-only. <see cref="StartAsync"/> (once the coordinator listens): writes
/// <see cref="SshdConfig"/> with the coordinator's loopback URL and runs <see cref="SshDaemon"/>.
/// </summary>
internal sealed class SshService
{
    private readonly string _sshd;
    private readonly int _port;
    private readonly string _sshDir;
    private readonly string _secretPath;
    private readonly SshAccount _account;
    private readonly IReadOnlyList<string> _hostKeys;

    private readonly IReadOnlyList<string> _command;

    private SshService(string sshd, int port, string sshDir, string secretPath, SshAccount account, IReadOnlyList<string> hostKeys, SshShellSecret secret, IReadOnlyList<string> command)
    {
        (_sshd, _port, _sshDir, _secretPath, _account, _hostKeys, Secret, _command) = (sshd, port, sshDir, secretPath, account, hostKeys, secret, command);
    }

    public SshShellSecret Secret { get; }

    /// <summary>The base of clone URLs: <c>ssh://ACCOUNT@HOST:PORT</c>, HOST that of the external URL.</summary>
    public string UrlBase(string externalUrl)
    {
        var host = new Uri(externalUrl).Host;
        return FormattableString.Invariant($"ssh://{_account.Name}@{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{_port}");
    }

    public static async Task<SshService?> PrepareAsync(ServerOptions options, CancellationToken cancel)
    {
        if (options.SshPort is not { } port)
        {
            return null;
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("git over SSH runs OpenSSH's sshd: Linux and other Unix systems only");
        }

        if (Sshd.Find() is not { } sshd)
        {
            throw new InvalidOperationException("git over SSH needs OpenSSH's sshd (Debian: openssh-server); give --ssh-port 0 to run without it");
        }

        var sshDir = Path.Combine(options.DataDir, "ssh");
        Directory.CreateDirectory(sshDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var separate = SshAccount.IsRoot;
        var home = separate ? SshRuntime.HomeFor(SshRuntime.DefaultRoot, options.DataDir) : Path.Combine(options.DataDir, "ssh-home");
        var account = await SshAccount.EnsureAsync(home, options.Output, cancel);
        var command = account.Separate && options.RelaisCommand.Count > 0 ? SshRuntime.Stage(SshRuntime.DefaultRoot, options.RelaisCommand) : options.RelaisCommand;
        if (account.Separate && command.Count > 0 && Closed(command[0]) is { } closed)
        {
            await options.Output.WriteLineAsync($"relais: git over SSH will fail: the account `{account.Name}` cannot pass through {closed} to reach {command[0]}");
        }

        var secretPath = Path.Combine(home, "shell-secret");
        var secret = SshShellSecret.Open(secretPath);
        await account.GiveAsync(secretPath, cancel);
        var hostKeys = await SshHostKeys.EnsureAsync(sshDir, cancel);
        return new SshService(sshd, port, sshDir, secretPath, account, hostKeys, secret, command);
    }

    /// <summary>Writes the config and starts sshd; null (logged) when no listen URL is reachable on loopback for the commands.</summary>
    public async Task<SshDaemon?> StartAsync(ServerOptions options, IEnumerable<string> boundUrls, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows() || InternalUrl(boundUrls) is not { } internalUrl)
        {
            await options.Output.WriteLineAsync("relais: git over SSH is off: no http:// listen URL on loopback or a wildcard address for sshd's commands to reach");
            return null;
        }

        if (_command.Count == 0)
        {
            throw new InvalidOperationException("git over SSH needs ServerOptions.RelaisCommand (how sshd starts relais)");
        }

        if (_account.Separate)
        {
            // Root's sshd needs its privilege separation folder (normally made by the service manager).
            Directory.CreateDirectory("/run/sshd", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var config = SshdConfig.Build(_port, SshdConfig.ListenAddresses(options.Urls), _hostKeys, _account, _command, ["--url", internalUrl, "--secret-file", _secretPath]);
        var configPath = Path.Combine(_sshDir, "sshd_config");
        await File.WriteAllTextAsync(configPath, config, cancel);
        return await SshDaemon.StartAsync(_sshd, configPath, options.Output, options.Time);
    }

    /// <summary>The first folder from / down to <paramref name="path"/> (itself excluded) that others cannot pass through, or null.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal static string? Closed(string path)
    {
        var parents = new List<string>();
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            parents.Insert(0, dir);
        }

        return parents.FirstOrDefault(d => Directory.Exists(d) && (File.GetUnixFileMode(d) & UnixFileMode.OtherExecute) == 0);
    }

    /// <summary>The first bound http:// address, its host made loopback when it is a wildcard; null when none is loopback.</summary>
    internal static string? InternalUrl(IEnumerable<string> boundUrls)
    {
        foreach (var url in boundUrls.Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            var rest = url["http://".Length..].TrimEnd('/');
            var colon = rest.LastIndexOf(':');
            var (host, port) = (rest[..colon], rest[(colon + 1)..]);
            var loopback = host is "0.0.0.0" or "[::]" or "*" or "+" or "localhost" ? "127.0.0.1"
                : IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip) ? host
                : null;
            if (loopback is not null)
            {
                return $"http://{loopback}:{port}";
            }
        }

        return null;
    }
}
