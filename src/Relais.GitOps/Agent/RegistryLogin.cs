using System.Text;
using System.Text.Json;
using Relais.GitOps.Config;
using Relais.GitOps.Registry;

namespace Relais.GitOps.Agent;

/// <summary>
/// Registry credentials from an <c>ImageRepository</c>'s <c>secretRef</c>: the keys <c>username</c> and <c>password</c>,
/// or a <c>.dockerconfigjson</c> (Flux's kind) whose <c>auths</c> entry for the registry's host has <c>username</c>/<c>password</c> or <c>auth</c>.
/// </summary>
public static class RegistryLogin
{
    public static RegistryCredentials? Of(Secret secret, string host)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Data.TryGetValue("username", out var username) && secret.Data.TryGetValue("password", out var password))
        {
            return new RegistryCredentials(username, password);
        }

        return secret.Data.TryGetValue(".dockerconfigjson", out var json) ? FromDockerConfig(json, host) : null;
    }

    private static RegistryCredentials? FromDockerConfig(string json, string host)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (HostOf(entry.Name) != host && !(host == ImageReference.DockerHubHost && HostOf(entry.Name) is "index.docker.io" or "docker.io"))
            {
                continue;
            }

            if (entry.Value.TryGetProperty("username", out var user) && entry.Value.TryGetProperty("password", out var pass))
            {
                return new RegistryCredentials(user.GetString() ?? "", pass.GetString() ?? "");
            }

            if (entry.Value.TryGetProperty("auth", out var auth) && Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString() ?? "")) is var pair
                && pair.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                return new RegistryCredentials(pair[..colon], pair[(colon + 1)..]);
            }
        }

        return null;
    }

    private static string HostOf(string key)
    {
        var withoutScheme = key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key;
        var slash = withoutScheme.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? withoutScheme : withoutScheme[..slash];
    }
}
