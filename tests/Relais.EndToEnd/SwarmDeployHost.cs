using System.Diagnostics;
using System.Globalization;

namespace Relais.EndToEnd;

/// <summary>
/// The deploy host of the Swarm test: a real OpenSSH <c>sshd</c> in a container (<see cref="DockerTest.Ssh"/>,
/// <c>deploy-host</c>) on the host's network, listening on the Docker bridge's gateway address so that job containers
/// reach it, whose user <c>deploy</c> runs the docker CLI against the test engine's socket. That is what
/// <c>DOCKER_HOST=ssh://deploy@HOST</c> needs: the client runs <c>docker system dial-stdio</c> there over ssh.
/// The key pair is made with <c>ssh-keygen</c>, the host key pinned with <c>ssh-keyscan</c>.
/// </summary>
internal sealed class SwarmDeployHost : IAsyncDisposable
{
    private readonly string _container;

    private SwarmDeployHost(string container, string address, string privateKey, string knownHosts)
    {
        _container = container;
        Address = address;
        PrivateKey = privateKey;
        KnownHosts = knownHosts;
    }

    /// <summary><c>GATEWAY:PORT</c>, what <c>DEPLOY_HOST</c> holds.</summary>
    public string Address { get; }

    /// <summary>The private key (OpenSSH format) authorized for <c>deploy</c>.</summary>
    public string PrivateKey { get; }

    /// <summary><c>ssh-keyscan</c>'s lines for the host, what <c>SSH_KNOWN_HOSTS</c> holds.</summary>
    public string KnownHosts { get; }

    /// <summary>Makes a key pair in <paramref name="folder"/>, starts the container and waits until ssh-keyscan gets its host key.</summary>
    public static async Task<SwarmDeployHost> StartAsync(string folder, string name)
    {
        var key = Path.Combine(folder, "deploy-key");
        var made = await SshGitServer.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "relais-swarm-test", "-f", key]);
        Assert.True(made.Code == 0, made.Err);
        var gateway = await DockerCommand.OkAsync("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}");
        var port = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        await DockerCommand.OkAsync("run", "-d", "--name", name, "--network", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock",
            "-e", "AUTHORIZED_KEYS=" + await File.ReadAllTextAsync(key + ".pub"), "-e", $"SSHD_LISTEN={gateway}:{port}", DockerTest.Ssh, "deploy-host");
        try
        {
            return new SwarmDeployHost(name, $"{gateway}:{port}", await File.ReadAllTextAsync(key), await ScanAsync(name, gateway, port));
        }
        catch
        {
            await DockerCommand.RunAsync("rm", "-f", name);
            throw;
        }
    }

    private static async Task<string> ScanAsync(string container, string gateway, string port)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var scan = await SshGitServer.RunAsync("ssh-keyscan", ["-p", port, "-t", "ed25519", gateway]);
            if (scan.Code == 0 && scan.Out.Contains("ssh-ed25519", StringComparison.Ordinal))
            {
                return scan.Out;
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                var logs = await DockerCommand.RunAsync("logs", container);
                Assert.Fail($"the deploy host's sshd never answered on {gateway}:{port}:\n{scan.Err}\n{logs.Out}{logs.Err}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync() => await DockerCommand.RunAsync("rm", "-f", _container);
}
