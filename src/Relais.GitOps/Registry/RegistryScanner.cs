using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Relais.GitOps.Registry;

/// <summary>
/// Lists an image's tags over the Distribution API v2 (<c>GET /v2/&lt;name&gt;/tags/list?n=…</c>, following
/// <c>Link: &lt;…&gt;; rel="next"</c>), answering the registry's challenge (a Bearer token from the realm, anonymous or
/// with Basic credentials, cached until it expires; or Basic directly), backing off on 429 and 5xx, and keeping each
/// image's last list so a scan answers the tags added and removed since the previous one.
/// </summary>
public sealed class RegistryScanner : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private readonly RegistryScanOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ImageReference, IReadOnlyList<string>> _lastTags = new();
    private readonly Random _random = new();

    /// <summary>Creates a scanner reaching registries as <paramref name="options"/> say.</summary>
    public RegistryScanner(RegistryScanOptions options, TimeProvider time)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _http = new HttpClient(CreateHandler(options.CaFile), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Every tag of <paramref name="image"/>, in the registry's order, across all pages.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tags = new List<string>();
        Uri? next = new(BaseUri(image), $"v2/{image.Repository}/tags/list?n={_options.PageSize}");
        while (next is not null)
        {
            var page = next;
            using var response = await SendAsync(image, () => new HttpRequestMessage(HttpMethod.Get, page), cancellationToken).ConfigureAwait(false);
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
            {
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (json.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var tag in list.EnumerateArray())
                    {
                        tags.Add(tag.GetString() ?? "");
                    }
                }
            }

            next = NextPage(response, page);
        }

        return tags;
    }

    /// <summary>Lists <paramref name="image"/>'s tags and answers what changed since this scanner's previous scan of it.</summary>
    public async Task<TagChanges> ScanAsync(ImageReference image, CancellationToken cancellationToken = default)
    {
        var tags = await ListTagsAsync(image, cancellationToken).ConfigureAwait(false);
        _lastTags.TryGetValue(image, out var previous);
        _lastTags[image] = tags;
        return TagChanges.Between(previous, tags);
    }

    /// <summary>The <c>created</c> time of <paramref name="tag"/>'s image config (the first platform of an index), or null when it has none.</summary>
    public async Task<DateTimeOffset?> CreatedAsync(ImageReference image, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var manifest = await GetJsonAsync(image, $"manifests/{Uri.EscapeDataString(tag)}", ManifestTypes, cancellationToken).ConfigureAwait(false);
        if (manifest.TryGetProperty("manifests", out var platforms) && platforms.GetArrayLength() > 0)
        {
            var digest = platforms[0].GetProperty("digest").GetString();
            manifest = await GetJsonAsync(image, $"manifests/{digest}", ManifestTypes, cancellationToken).ConfigureAwait(false);
        }

        if (!manifest.TryGetProperty("config", out var config))
        {
            return null;
        }

        var blob = await GetJsonAsync(image, $"blobs/{config.GetProperty("digest").GetString()}", ["application/json"], cancellationToken).ConfigureAwait(false);
        return blob.TryGetProperty("created", out var created) && created.TryGetDateTimeOffset(out var at) ? at : null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> GetJsonAsync(ImageReference image, string path, string[] accept, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri(image), $"v2/{image.Repository}/{path}");
        using var response = await SendAsync(image, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (var type in accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return json.RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(ImageReference image, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var authenticated = false;
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = CachedAuthorization(image);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized && !authenticated && AuthChallenge.From(response.Headers.WwwAuthenticate) is { } challenge)
            {
                response.Dispose();
                await AuthenticateAsync(image, challenge, cancellationToken).ConfigureAwait(false);
                authenticated = true;
                attempt--;
                continue;
            }

            if ((status == HttpStatusCode.TooManyRequests || (int)status >= 500) && attempt + 1 < _options.MaxAttempts)
            {
                var delay = BackOff.Delay(attempt, _options.InitialBackOff, _options.MaxBackOff, RetryAfter(response), _random);
                response.Dispose();
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            response.Dispose();
            throw status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                ? new RegistryAccessException($"repository not found or access denied: {image} ({(int)status} {status})")
                : new RegistryAccessException($"registry error for {image}: {(int)status} {status}");
        }
    }

    private AuthenticationHeaderValue? CachedAuthorization(ImageReference image)
    {
        if (!_tokens.TryGetValue(image.ToString(), out var cached))
        {
            return null;
        }

        if (cached.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            _tokens.TryRemove(image.ToString(), out _);
            return null;
        }

        return cached.Header;
    }

    private async Task AuthenticateAsync(ImageReference image, AuthChallenge challenge, CancellationToken cancellationToken)
    {
        var credentials = _options.Credentials;
        if (!challenge.IsBearer)
        {
            if (credentials is null)
            {
                throw new RegistryAccessException($"repository not found or access denied: {image} (the registry wants credentials)");
            }

            _tokens[image.ToString()] = new CachedToken(BasicHeader(credentials), null);
            return;
        }

        var realm = challenge["realm"] ?? throw new RegistryAccessException($"registry error for {image}: a Bearer challenge without realm");
        var query = new StringBuilder();
        if (challenge["service"] is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        query.Append("scope=").Append(Uri.EscapeDataString(challenge["scope"] ?? $"repository:{image.Repository}:pull"));
        var separator = realm.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{realm}{separator}{query}"));
        if (credentials is not null)
        {
            request.Headers.Authorization = BasicHeader(credentials);
        }

        var issuedAt = _time.GetUtcNow();
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryAccessException($"repository not found or access denied: {image} (the token realm answered {(int)response.StatusCode} {response.StatusCode})");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
            ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null)
            ?? throw new RegistryAccessException($"registry error for {image}: the token realm answered no token");
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
        _tokens[image.ToString()] = new CachedToken(new AuthenticationHeaderValue("Bearer", token), issuedAt.AddSeconds(lifetime - Math.Min(10, lifetime / 2)));
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => null,
        };

    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(value => value.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link[close..].Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(current, link[(open + 1)..close]);
            }
        }

        return null;
    }

    private Uri BaseUri(ImageReference image) => new($"{(_options.Insecure ? "http" : "https")}://{image.Host}/");

    private static SocketsHttpHandler CreateHandler(string? caFile)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (caFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }

        return handler;
    }

    private sealed record CachedToken(AuthenticationHeaderValue Header, DateTimeOffset? ExpiresAt);
}
