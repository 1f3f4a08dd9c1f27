using System.Net;
using System.Security.Cryptography;
using Relais.Server.Auth;
using Relais.Server.Processes;

namespace Relais.Server.Registry;

/// <summary>
/// The container registry of <c>relais serve</c> (issue #15): Distribution's <c>docker-registry</c>, run and supervised
/// as a <see cref="SupervisedProcess"/>. Prepared before the endpoints are mapped (the token endpoint and job payloads
/// need its <see cref="Setup"/>; the coordinator may need an <see cref="ExtraListenUrl"/> for the realm), started once
/// the coordinator listens, stopped with it. Everything lives in <c>DATA/registry/</c>: the token key, the CA and
/// server certificate, <c>config.yml</c>, <c>http-secret</c>, <c>registry.pid</c> and <c>storage/</c>.
/// </summary>
internal sealed class RegistryService : IAsyncDisposable
{
    private readonly ServerOptions _options;
    private readonly RegistryTokenKey _key;
    private readonly string _program;
    private readonly string _folder;
    private readonly RegistryConfig _config;
    private SupervisedProcess? _process;
    private string? _trustFile;

    private RegistryService(ServerOptions options, RegistryTokenKey key, string program, string folder, RegistryEndpoint endpoint, RegistryRealm realm, RegistryConfig config)
    {
        (_options, _key, _program, _folder, _config, ExtraListenUrl) = (options, key, program, folder, config, realm.ExtraListenUrl);
        var scheme = config.Tls is null ? "http" : "https";
        Setup = new RegistrySetup
        {
            Address = endpoint.Address,
            ApiUrl = new Uri($"{scheme}://{endpoint.Address}/"),
            Insecure = config.Tls is null,
            CaCertificatePem = config.Tls?.CaCertificatePem,
            Realm = realm.Realm,
            Tokens = new RegistryTokenIssuer(key, RegistrySetup.IssuerName, RegistrySetup.ServiceName, options.Time),
            Maintenance = new SupervisedRegistryMaintenance(program, ConfigPath, SetReadOnlyAsync),
        };
    }

    public RegistrySetup Setup { get; }

    /// <summary>A listen URL the coordinator must add so engines in containers reach the token realm (on the reachable host address), or null.</summary>
    public string? ExtraListenUrl { get; }

    /// <summary>The supervised process (null before <see cref="StartAsync"/>).</summary>
    public SupervisedProcess? Process => _process;

    private string ConfigPath => Path.Combine(_folder, "config.yml");

    /// <summary>The registry's setup for <paramref name="options"/>, or null when <see cref="ServerOptions.RegistryPort"/> is not set.</summary>
    public static async Task<RegistryService?> PrepareAsync(ServerOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancel.ThrowIfCancellationRequested();
        if (options.RegistryPort is not { } port)
        {
            return null;
        }

        var program = DockerRegistry.Find()
            ?? throw new InvalidOperationException("the container registry needs Distribution's docker-registry (Debian: docker-registry); give --registry-port 0 to run without it");
        var folder = Path.Combine(options.DataDir, "registry");
        var key = RegistryTokenKey.LoadOrCreate(folder, options.Time);
        var reachable = DockerBridge.ReachableAddress();
        var endpoint = RegistryEndpoint.Choose(options.RegistryAddress, port, reachable, h => Dns.GetHostAddresses(h), RegistryEndpoint.LocalAddresses(), out var note);
        if (note is not null)
        {
            await options.Output.WriteLineAsync(note);
        }

        var realm = RegistryRealm.For(options.Urls, reachable);
        var tls = options.RegistryInsecure ? null : RegistryCertificates.Ensure(folder, DnsNames(endpoint), Ips(endpoint), options.Time);
        var config = new RegistryConfig
        {
            StoragePath = Path.Combine(folder, "storage"),
            ListenAddress = endpoint.ListenAddress,
            HttpSecret = HttpSecret(Path.Combine(folder, "http-secret")),
            Tls = tls,
            Realm = realm.Realm,
            RootCertBundle = key.CertificatePath,
        };
        return new RegistryService(options, key, program, folder, endpoint, realm, config);
    }

    /// <summary>Writes the config, starts the registry (supervised) once the coordinator listens, and makes the host's Docker trust it.</summary>
    public async Task StartAsync(CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        var output = _options.Output;
        await File.WriteAllTextAsync(ConfigPath, _config.Render(), cancel);
        _process = await SupervisedProcess.StartAsync(
            new SupervisedProcessSpec
            {
                Name = "registry",
                Program = _program,
                Arguments = ["serve", ConfigPath],
                PidPath = Path.Combine(_folder, "registry.pid"),
                Marker = ConfigPath,
                IsReady = RegistryLogLines.IsReady,
                Pass = RegistryLogLines.Pass,
            },
            output,
            _options.Time);
        if (Setup.Insecure)
        {
            await output.WriteLineAsync($"relais: the registry at {Setup.Address} serves plain HTTP (--registry-insecure): every Docker engine that pushes or pulls needs \"insecure-registries\": [\"{Setup.Address}\"] in its daemon.json");
            return;
        }

        _trustFile = await RegistryHostTrust.WriteAsync(_options.DockerCertsDirectory, Setup.Address, Setup.CaCertificatePem!, Path.Combine(_folder, "ca.crt"), output);
    }

    /// <summary>Rewrites the config with the read-only flag and restarts the registry on it.</summary>
    private async Task SetReadOnlyAsync(bool readOnly)
    {
        var process = _process ?? throw new InvalidOperationException("the registry is not started");
        await File.WriteAllTextAsync(ConfigPath, (_config with { ReadOnly = readOnly }).Render());
        if (!await process.RestartAsync())
        {
            throw new InvalidOperationException($"the registry did not come back {(readOnly ? "read-only" : "writable")}");
        }
    }

    private static List<string> DnsNames(RegistryEndpoint endpoint)
    {
        var names = new List<string>();
        if (!IPAddress.TryParse(endpoint.Host, out _))
        {
            names.Add(endpoint.Host);
        }

        names.Add("localhost");
        names.Add(Dns.GetHostName());
        return [.. names.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static List<IPAddress> Ips(RegistryEndpoint endpoint)
    {
        var ips = new List<IPAddress> { endpoint.Bind, IPAddress.Loopback };
        if (IPAddress.TryParse(endpoint.Host, out var ip))
        {
            ips.Add(ip);
        }

        return [.. ips.Distinct()];
    }

    private static string HttpSecret(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } kept)
        {
            return kept;
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        OwnerOnlyFile.WriteLine(path, secret);
        return secret;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }

        if (_trustFile is { } trust)
        {
            RegistryHostTrust.Remove(trust, Setup.CaCertificatePem!);
        }

        (Setup.Maintenance as IDisposable)?.Dispose();
        _key.Dispose();
    }
}
