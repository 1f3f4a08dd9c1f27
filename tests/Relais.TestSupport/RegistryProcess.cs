using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Relais.TestSupport;

/// <summary>Token authentication of a <see cref="RegistryProcess"/>: what its config's <c>auth.token</c> says.</summary>
public sealed record RegistryTokenAuth(string Realm, string Service, string Issuer, string RootCertBundle);

/// <summary>TLS of a <see cref="RegistryProcess"/>: its certificate and key files (PEM).</summary>
public sealed record RegistryTls(string Certificate, string Key);

/// <summary>
/// A real CNCF Distribution registry (Debian's <c>docker-registry</c>) for a test, on its own port and storage, with
/// deletes enabled and, optionally, token authentication and TLS; stopped and removed on dispose. Tests that need
/// the registry <c>relais serve</c> supervises use the server's instead.
/// </summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder;
    private readonly StringBuilder _log = new();

    private RegistryProcess(Process process, TempDirectory folder, string host, int port)
    {
        _process = process;
        _folder = folder;
        Host = host;
        Port = port;
    }

    /// <summary>Why registry tests cannot run here, or null when <c>docker-registry</c> is installed.</summary>
    public static string? SkipReason =>
        File.Exists("/usr/bin/docker-registry") ? null : "docker-registry is not installed: run scripts/docker.sh (scripts/test does)";

    public string Host { get; }

    public int Port { get; }

    /// <summary><c>host:port</c>, as image names start.</summary>
    public string Address => $"{Host}:{Port}";

    /// <summary>Where its blobs and manifests are kept.</summary>
    public string StoragePath => _folder.Combine("storage");

    /// <summary>What the registry printed so far (for assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a registry on <paramref name="host"/> (loopback unless given) and returns once it answers.</summary>
    public static async Task<RegistryProcess> StartAsync(RegistryTokenAuth? auth = null, RegistryTls? tls = null, string host = "127.0.0.1", bool readOnly = false)
    {
        var folder = new TempDirectory("registry");
        var port = FreePorts.Next();
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log: {level: info, formatter: text}")
            .AppendLine("storage:")
            .AppendLine(CultureInfo.InvariantCulture, $"  filesystem: {{rootdirectory: {folder.Combine("storage")}}}")
            .AppendLine("  delete: {enabled: true}")
            .AppendLine(CultureInfo.InvariantCulture, $"  maintenance: {{uploadpurging: {{enabled: false}}, readonly: {{enabled: {(readOnly ? "true" : "false")}}}}}")
            .AppendLine("http:")
            .AppendLine(CultureInfo.InvariantCulture, $"  addr: {host}:{port}");
        if (tls is not null)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  tls: {{certificate: {tls.Certificate}, key: {tls.Key}}}");
        }

        if (auth is not null)
        {
            config.AppendLine("auth:")
                .AppendLine("  token:")
                .AppendLine(CultureInfo.InvariantCulture, $"    realm: {auth.Realm}")
                .AppendLine(CultureInfo.InvariantCulture, $"    service: {auth.Service}")
                .AppendLine(CultureInfo.InvariantCulture, $"    issuer: {auth.Issuer}")
                .AppendLine(CultureInfo.InvariantCulture, $"    rootcertbundle: {auth.RootCertBundle}");
        }

        var configPath = folder.Write("config.yml", config.ToString());
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start)!;
        var registry = new RegistryProcess(process, folder, host, port);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port);
                return registry;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        var log = registry.Log;
        await registry.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not start on {host}:{port}:\n{log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }
}

/// <summary>A fact that is skipped, with the reason, where Debian's <c>docker-registry</c> is not installed.</summary>
public sealed class RegistryFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the registry is missing.</summary>
    public RegistryFactAttribute()
    {
        if (RegistryProcess.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
