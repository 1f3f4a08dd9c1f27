using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Relais.Server.Registry;

/// <summary>
/// The coordinator's HTTP connection to its registry: TLS trusted by Relais's CA only (or plain HTTP in insecure
/// mode), and every request carrying a bearer token the coordinator signs for exactly the scopes it needs.
/// </summary>
internal sealed class RegistryHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly RegistryTokenIssuer _tokens;
    private readonly X509Certificate2? _ca;

    public RegistryHttp(RegistrySetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _tokens = setup.Tokens;
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), AllowAutoRedirect = false };
        if (!setup.Insecure && setup.CaCertificatePem is { } pem)
        {
            _ca = X509Certificate2.CreateFromPem(pem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedByCa(certificate, errors);
        }

        _client = new HttpClient(handler) { BaseAddress = setup.ApiUrl, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Sends <paramref name="request"/> with a token granting <paramref name="scope"/>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RegistryScope scope, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.Issue("relais", [scope]).Value);
        return _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel);
    }

    private bool TrustedByCa(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || _ca is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }

    public void Dispose()
    {
        _client.Dispose();
        _ca?.Dispose();
    }
}
