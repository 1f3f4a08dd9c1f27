using System.Collections.Concurrent;
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
                ? RegistrySecretCredentials.For(host, secret.Data)
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

    private RegistryScanner ScannerFor(string host) =>
        _scanners.GetOrAdd(host, h => new RegistryScanner(_options.GetValueOrDefault(h) ?? new RegistryScanOptions(), _time));
}
