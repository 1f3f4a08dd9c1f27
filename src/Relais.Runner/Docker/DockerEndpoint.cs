using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Relais.Runner.Docker;

/// <summary>
/// Where the Docker Engine listens: a unix socket (the default, <c>/var/run/docker.sock</c>) or <c>tcp://host:port</c>,
/// optionally with TLS client certificates (<c>DOCKER_TLS_VERIFY</c>, <c>DOCKER_CERT_PATH</c> with <c>ca.pem</c>,
/// <c>cert.pem</c>, <c>key.pem</c>), as the docker CLI reads them.
/// </summary>
/// <param name="Host">The address: <c>unix:///path</c> or <c>tcp://host:port</c>.</param>
/// <param name="TlsVerify">Whether to speak TLS and verify the daemon against <c>ca.pem</c>.</param>
/// <param name="CertPath">The directory with <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c>.</param>
public sealed record DockerEndpoint(string Host, bool TlsVerify = false, string? CertPath = null)
{
    /// <summary>The default local engine.</summary>
    public const string DefaultHost = "unix:///var/run/docker.sock";

    /// <summary>The endpoint the environment names (<c>DOCKER_HOST</c>, <c>DOCKER_TLS_VERIFY</c>, <c>DOCKER_CERT_PATH</c>).</summary>
    public static DockerEndpoint FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var host = read("DOCKER_HOST");
        var verify = read("DOCKER_TLS_VERIFY") is { Length: > 0 } v && v != "0";
        var certs = read("DOCKER_CERT_PATH") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return new DockerEndpoint(string.IsNullOrEmpty(host) ? DefaultHost : host, verify, verify ? certs : null);
    }

    /// <summary>Whether the engine is on this machine (a unix socket or a loopback address): then container addresses are reachable.</summary>
    public bool IsLocal => Host.StartsWith("unix://", StringComparison.Ordinal)
        || Host.Contains("://127.0.0.1", StringComparison.Ordinal) || Host.Contains("://localhost", StringComparison.Ordinal);

    /// <summary>Creates the HTTP client for this endpoint (API version prefix included in its base address).</summary>
    public HttpClient CreateHttpClient(string apiVersion)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        Uri baseAddress;
        if (Host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socketPath = Host["unix://".Length..];
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri($"http://docker/v{apiVersion}/");
        }
        else if (Host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var address = Host["tcp://".Length..].TrimEnd('/');
            baseAddress = new Uri($"{(TlsVerify ? "https" : "http")}://{address}/v{apiVersion}/");
            if (TlsVerify && CertPath is not null)
            {
                ConfigureTls(handler, CertPath);
            }
        }
        else
        {
            throw new ArgumentException($"unsupported DOCKER_HOST `{Host}` (unix:// or tcp://)");
        }

        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    private static void ConfigureTls(SocketsHttpHandler handler, string certPath)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certPath, "ca.pem"));
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(certPath, "cert.pem"), Path.Combine(certPath, "key.pem"));
        var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var presented = new X509Certificate2(certificate);
                return chain.Build(presented);
            },
        };
    }
}
