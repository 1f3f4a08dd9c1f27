using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Relais.Protocol.Jobs;

namespace Relais.Runner.Docker;

/// <summary>
/// Registry credentials for pulls, as gitlab-runner finds them: the job's <c>DOCKER_AUTH_CONFIG</c> variable (a
/// docker <c>config.json</c> with <c>auths</c>), then the runner's own <c>DOCKER_AUTH_CONFIG</c>, then the payload's
/// <c>credentials</c> of type <c>registry</c>. The result is the <c>X-Registry-Auth</c> header value.
/// </summary>
public static class RegistryAuth
{
    /// <summary>The <c>X-Registry-Auth</c> value for <paramref name="image"/>, or null when no credentials match its registry.</summary>
    public static string? HeaderFor(string image, IEnumerable<string?> authConfigs, IEnumerable<JobCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(authConfigs);
        ArgumentNullException.ThrowIfNull(credentials);
        var registry = ImageNames.Registry(image);
        foreach (var config in authConfigs)
        {
            if (!string.IsNullOrWhiteSpace(config) && FromConfig(config, registry) is { } found)
            {
                return Header(found.User, found.Password, registry);
            }
        }

        var credential = credentials.FirstOrDefault(c => c.Type == "registry" && SameRegistry(c.Url, registry));
        return credential is null ? null : Header(credential.Username, credential.Password, registry);
    }

    /// <summary>The header value: base64url of <c>{"username","password","serveraddress"}</c>.</summary>
    public static string Header(string user, string password, string server)
    {
        var json = new JsonObject { ["username"] = user, ["password"] = password, ["serveraddress"] = server }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
    }

    private static (string User, string Password)? FromConfig(string config, string registry)
    {
        JsonNode? auths;
        try
        {
            auths = JsonNode.Parse(config)?["auths"];
        }
        catch (JsonException)
        {
            return null;
        }

        if (auths is not JsonObject map)
        {
            return null;
        }

        foreach (var (server, entry) in map)
        {
            if (!SameRegistry(server, registry) || entry is null)
            {
                continue;
            }

            if (entry["auth"]?.GetValue<string>() is { Length: > 0 } auth)
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (pair[..colon], pair[(colon + 1)..]);
                }
            }

            if (entry["username"]?.GetValue<string>() is { } user)
            {
                return (user, entry["password"]?.GetValue<string>() ?? "");
            }
        }

        return null;
    }

    private static bool SameRegistry(string server, string registry)
    {
        var host = server.Replace("https://", "", StringComparison.Ordinal).Replace("http://", "", StringComparison.Ordinal).Split('/')[0];
        var docker = new[] { "docker.io", "index.docker.io", "registry-1.docker.io" };
        return string.Equals(host, registry, StringComparison.OrdinalIgnoreCase) || (docker.Contains(host) && docker.Contains(registry));
    }
}
