using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Relais.GitOps.Config;
using Relais.GitOps.Registry;

namespace Relais.GitOps.Updates;

/// <summary>
/// <see cref="ITagSource"/> over <see cref="RegistryScanner"/>, one scanner per registry host. A host's credentials
/// and transport come from the configuration's <c>ImageRepository</c> resources on that host: their <c>secretRef</c>'s
/// <c>username</c>/<c>password</c> keys, or a <c>kubernetes.io/dockerconfigjson</c> Secret's <c>.dockerconfigjson</c>
/// (the entry of <c>auths</c> for the host: <c>auth</c>, or <c>username</c>/<c>password</c>); <c>insecure: true</c> on
/// any of them means plain HTTP. A host no <c>ImageRepository</c> names is reached anonymously over HTTPS.
/// </summary>
public sealed class RegistryTagSource : ITagSource, IDisposable
{
    private readonly Dictionary<string, RegistryScanOptions> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RegistryScanner> _scanners = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;

    public RegistryTagSource(IEnumerable<ImageRepository> repositories, IReadOnlyDictionary<string, Secret> secrets, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(secrets);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        foreach (var repository in repositories)
        {
            var host = ImageReference.Parse(repository.Image).Host;
            var options = _options.GetValueOrDefault(host) ?? new RegistryScanOptions();
            var credentials = repository.SecretRef is { } reference && secrets.TryGetValue(reference.Key, out var secret)
                ? CredentialsFor(host, secret.Data)
                : null;
            _options[host] = options with
            {
                Insecure = options.Insecure || repository.Insecure,
                Credentials = options.Credentials ?? credentials,
            };
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> TagsAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ScannerFor(image.Host).ListTagsAsync(image, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> CreatedAsync(ImageReference image, string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return ScannerFor(image.Host).CreatedAsync(image, tag, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var scanner in _scanners.Values)
        {
            scanner.Dispose();
        }
    }

    /// <summary>The credentials a secret holds for <paramref name="host"/>: <c>username</c>/<c>password</c>, or its <c>.dockerconfigjson</c> entry.</summary>
    internal static RegistryCredentials? CredentialsFor(string host, IReadOnlyDictionary<string, string> data)
    {
        if (data.TryGetValue("username", out var username) && data.TryGetValue("password", out var password))
        {
            return new RegistryCredentials(username, password);
        }

        if (!data.TryGetValue(".dockerconfigjson", out var json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (!SameHost(entry.Name, host))
            {
                continue;
            }

            var auth = entry.Value;
            if (auth.TryGetProperty("auth", out var encoded) && encoded.GetString() is { Length: > 0 } basic)
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic)).Split(':', 2);
                return pair.Length == 2 ? new RegistryCredentials(pair[0], pair[1]) : null;
            }

            if (auth.TryGetProperty("username", out var u) && auth.TryGetProperty("password", out var p))
            {
                return new RegistryCredentials(u.GetString() ?? "", p.GetString() ?? "");
            }
        }

        return null;
    }

    /// <summary>Whether a <c>.dockerconfigjson</c> key (<c>host</c>, <c>https://host/v1/</c>, Hub's index) names <paramref name="host"/>.</summary>
    private static bool SameHost(string key, string host)
    {
        var name = key.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(key, UriKind.Absolute, out var uri) ? uri.Authority : key.Split('/')[0];
        return string.Equals(name, host, StringComparison.OrdinalIgnoreCase)
            || (host == ImageReference.DockerHubHost && name is "index.docker.io" or "docker.io");
    }

    private RegistryScanner ScannerFor(string host) =>
        _scanners.GetOrAdd(host, h => new RegistryScanner(_options.GetValueOrDefault(h) ?? new RegistryScanOptions(), _time));
}
