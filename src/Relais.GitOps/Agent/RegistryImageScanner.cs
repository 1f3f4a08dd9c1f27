using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Relais.GitOps.Config;
using Relais.GitOps.Registry;

namespace Relais.GitOps.Agent;

/// <summary>
/// Scans <c>ImageRepository</c> resources with one <see cref="RegistryScanner"/> each (its <c>insecure</c> flag and the
/// credentials of its <c>secretRef</c>), so every resource keeps its own list of the tags it saw last. A registry
/// whose certificate Docker trusts through <c>/etc/docker/certs.d/HOST:PORT/ca.crt</c> (Relais's own registry writes
/// its CA there) is trusted through that file too, as the Docker engine does.
/// </summary>
/// <param name="secrets">The configuration's secrets by <c>namespace/name</c>.</param>
/// <param name="time">The clock (token expiry, back-off).</param>
/// <param name="dockerCertsDirectory">Docker's per-registry CA folder (<c>/etc/docker/certs.d</c>).</param>
public sealed class RegistryImageScanner(IReadOnlyDictionary<string, Secret> secrets, TimeProvider time, string dockerCertsDirectory = "/etc/docker/certs.d") : IImageScanner, IDisposable
{
    private readonly ConcurrentDictionary<string, RegistryScanner> _scanners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Regex[]> _exclusions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<TagChanges> ScanAsync(ImageRepository repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var image = ImageReference.Parse(repository.Image);
        var scanner = _scanners.GetOrAdd(repository.Key, _ => new RegistryScanner(
            new RegistryScanOptions { Insecure = repository.Insecure, Credentials = Credentials(repository, image), CaFile = CaFileOf(image.Host) }, time));
        var exclusions = _exclusions.GetOrAdd(repository.Key, _ => repository.ExclusionList.Select(p => new Regex(p, RegexOptions.None, TimeSpan.FromMilliseconds(100))).ToArray());
        return ScanFilteredAsync(scanner, image, exclusions, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var scanner in _scanners.Values)
        {
            scanner.Dispose();
        }
    }

    private static async Task<TagChanges> ScanFilteredAsync(RegistryScanner scanner, ImageReference image, Regex[] exclusions, CancellationToken cancellationToken)
    {
        var changes = await scanner.ScanAsync(image, cancellationToken).ConfigureAwait(false);
        if (exclusions.Length == 0)
        {
            return changes;
        }

        bool Kept(string tag) => !exclusions.Any(e => Matches(e, tag));
        return new TagChanges(changes.Tags.Where(Kept).ToList(), changes.Added.Where(Kept).ToList(), changes.Removed.Where(Kept).ToList());
    }

    private static bool Matches(Regex exclusion, string tag)
    {
        try
        {
            return exclusion.IsMatch(tag);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private string? CaFileOf(string host) => Path.Combine(dockerCertsDirectory, host, "ca.crt") is var path && File.Exists(path) ? path : null;

    private RegistryCredentials? Credentials(ImageRepository repository, ImageReference image) =>
        repository.SecretRef is { } reference && secrets.TryGetValue(reference.Key, out var secret)
            ? RegistrySecretCredentials.For(image.Host, secret.Data)
            : null;
}
