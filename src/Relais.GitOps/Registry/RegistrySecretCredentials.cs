using System.Text;
using System.Text.Json;

namespace Relais.GitOps.Registry;

/// <summary>
/// Registry credentials from a <c>Secret</c> (an <c>ImageRepository</c>'s <c>secretRef</c>), as Flux reads them: the keys
/// <c>username</c> and <c>password</c>, or a <c>kubernetes.io/dockerconfigjson</c> Secret's <c>.dockerconfigjson</c> (the
/// entry of <c>auths</c> for the registry's host: <c>auth</c>, or <c>username</c>/<c>password</c>). The one reader used by
/// the agent's registry scans and by Flux v1's annotated workloads.
/// </summary>
public static class RegistrySecretCredentials
{
    /// <summary>The credentials a secret holds for <paramref name="host"/>: <c>username</c>/<c>password</c>, or its <c>.dockerconfigjson</c> entry.</summary>
    public static RegistryCredentials? For(string host, IReadOnlyDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
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
}
