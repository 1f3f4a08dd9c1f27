using System.Net;

namespace Relais.Server.Registry;

/// <summary>
/// The token realm the registry sends Docker engines to (<c>…/jwt/auth</c> on this coordinator). Engines inside
/// containers (DinD services) must reach it, so it is a listen URL containers reach: a wildcard one (named by the
/// reachable host address), one on a non-loopback address or name, or else an extra listen URL on the reachable
/// address (<see cref="DockerBridge.ReachableAddress"/>) at the first URL's port (<see cref="ExtraListenUrl"/>, which
/// the coordinator adds to its listeners).
/// </summary>
public sealed record RegistryRealm(Uri Realm, string? ExtraListenUrl)
{
    /// <summary>The realm path (GitLab's).</summary>
    public const string Path = "/jwt/auth";

    /// <summary>The realm for the coordinator's <paramref name="listenUrls"/> (<c>;</c>-separated) and the <paramref name="reachable"/> host address (null: none).</summary>
    public static RegistryRealm For(string listenUrls, IPAddress? reachable)
    {
        ArgumentNullException.ThrowIfNull(listenUrls);
        var urls = listenUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            var (scheme, host, port) = Split(url);
            if (host is "0.0.0.0" or "[::]" or "*" or "+")
            {
                return new RegistryRealm(Build(scheme, (reachable ?? IPAddress.Loopback).ToString(), port), null);
            }

            var loopback = host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return new RegistryRealm(Build(scheme, host, port), null);
            }
        }

        var (firstScheme, firstHost, firstPort) = Split(urls[0]);
        if (reachable is null)
        {
            return new RegistryRealm(Build(firstScheme, firstHost, firstPort), null);
        }

        var extra = $"{firstScheme}://{reachable}:{firstPort}";
        return new RegistryRealm(new Uri(extra + Path), extra);
    }

    private static Uri Build(string scheme, string host, string port) => new($"{scheme}://{host}:{port}{Path}");

    private static (string Scheme, string Host, string Port) Split(string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = url[..separator].ToLowerInvariant();
        var rest = url[(separator + 3)..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        rest = slash < 0 ? rest : rest[..slash];
        var colon = rest.LastIndexOf(':');
        return colon < 0 || rest.EndsWith(']') ? (scheme, rest, scheme == "https" ? "443" : "80") : (scheme, rest[..colon], rest[(colon + 1)..]);
    }
}
