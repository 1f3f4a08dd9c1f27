using Relais.Server.Processes;

namespace Relais.Server.Ssh;

/// <summary>
/// Runs OpenSSH's <c>sshd -D -e -f DATA/ssh/sshd_config</c> as a <see cref="SupervisedProcess"/> of <c>relais serve</c>:
/// ready when it reports listening, its log lines prefixed <c>sshd:</c>, its pid in <c>DATA/ssh/sshd.pid</c> (an sshd
/// left behind by a killed server is stopped at the next start), stopped with the server.
/// </summary>
internal sealed class SshDaemon : IAsyncDisposable
{
    private readonly SupervisedProcess _process;

    private SshDaemon(SupervisedProcess process) => _process = process;

    /// <summary>Starts sshd with the config at <paramref name="configPath"/> and returns once it listens (or after a timeout, logged; it keeps trying).</summary>
    public static async Task<SshDaemon> StartAsync(string sshd, string configPath, TextWriter log, TimeProvider time)
    {
        var spec = new SupervisedProcessSpec
        {
            Name = "sshd",
            Program = sshd,
            Arguments = ["-D", "-e", "-f", configPath],
            PidPath = Path.Combine(Path.GetDirectoryName(configPath)!, "sshd.pid"),
            Marker = configPath,
            IsReady = line => line.StartsWith("Server listening on ", StringComparison.Ordinal),
        };
        return new SshDaemon(await SupervisedProcess.StartAsync(spec, log, time));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
