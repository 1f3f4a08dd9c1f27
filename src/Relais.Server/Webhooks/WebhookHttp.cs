using System.Net;
using System.Net.Sockets;

namespace Relais.Server.Webhooks;

/// <summary>
/// The HTTP client webhooks are sent with: it resolves the host itself when connecting and refuses the connection
/// when any resolved address is local (unless <paramref name="allowLocal"/>), so a name that resolves differently
/// later (DNS rebinding) cannot slip past the check made when the hook was saved; it follows no redirects, and gives
/// up after <paramref name="timeout"/> (10 s, as GitLab). Two clients: one verifying TLS certificates, one not (a
/// hook's <c>enable_ssl_verification: false</c>).
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    private readonly HttpClient _verifying;
    private readonly HttpClient _lenient;

    public WebhookHttp(bool allowLocal, TimeSpan timeout)
    {
        _verifying = Create(allowLocal, timeout, verify: true);
        _lenient = Create(allowLocal, timeout, verify: false);
    }

    /// <summary>The client for a hook, by its SSL verification setting.</summary>
    public HttpClient For(bool verifySsl) => verifySsl ? _verifying : _lenient;

    /// <summary>Resolves <paramref name="host"/> and throws <see cref="WebhookRefusedException"/> when any address is local (unless allowed).</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowLocal, CancellationToken cancel)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancel);
            }
            catch (SocketException e)
            {
                throw new WebhookRefusedException("Host cannot be resolved or invalid", e);
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookRefusedException("Host cannot be resolved or invalid");
        }

        if (!allowLocal && addresses.Any(WebhookAddresses.IsLocal))
        {
            throw new WebhookRefusedException();
        }

        return addresses;
    }

    public void Dispose()
    {
        _verifying.Dispose();
        _lenient.Dispose();
    }

    private static HttpClient Create(bool allowLocal, TimeSpan timeout, bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, cancel) =>
            {
                var addresses = await ResolveAsync(context.DnsEndPoint.Host, allowLocal, cancel);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (!verify)
        {
            // Only for hooks a Maintainer saved with enable_ssl_verification: false (GitLab's setting, for self-signed receivers).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return new HttpClient(handler) { Timeout = timeout };
    }
}
