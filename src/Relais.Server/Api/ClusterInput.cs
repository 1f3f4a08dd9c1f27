using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reads and checks the fields of <c>POST /projects/:id/clusters/user</c> and <c>PUT …/clusters/:cluster_id</c>:
/// <c>name</c>, <c>domain</c>, <c>enabled</c>, <c>managed</c>, <c>environment_scope</c>,
/// <c>namespace_per_environment</c> and <c>platform_kubernetes_attributes</c> (<c>api_url</c>, <c>token</c>,
/// <c>ca_cert</c>, <c>namespace</c>, <c>authorization_type</c>) as a JSON object or form fields
/// <c>platform_kubernetes_attributes[api_url]</c>. Unset fields keep <paramref name="before"/>'s values. Errors as
/// GitLab words them: a missing parameter, or a model error on its field.
/// </summary>
internal static partial class ClusterInput
{
    private const string Platform = "platform_kubernetes_attributes";

    public static (ClusterRecord? Cluster, IResult? Error) Read(Dictionary<string, string> f, ClusterRecord before, bool creating)
    {
        var platform = PlatformFields(f);
        if (creating)
        {
            foreach (var (name, field) in new[] { ("name", f.GetValueOrDefault("name")), ($"{Platform}[api_url]", platform.GetValueOrDefault("api_url")), ($"{Platform}[token]", platform.GetValueOrDefault("token")) })
            {
                if (string.IsNullOrWhiteSpace(field))
                {
                    return (null, ApiJson.BadRequest(name + " is missing"));
                }
            }
        }

        var authorization = platform.GetValueOrDefault("authorization_type") ?? before.AuthorizationType;
        if (authorization is not ("rbac" or "abac" or "unknown_authorization"))
        {
            return (null, ApiJson.BadRequest($"{Platform}[authorization_type] does not have a valid value"));
        }

        var cluster = before with
        {
            Name = f.GetValueOrDefault("name") ?? before.Name,
            Domain = f.TryGetValue("domain", out var domain) ? Blank(domain) : before.Domain,
            Enabled = ApiParams.Bool(f, "enabled") ?? before.Enabled,
            Managed = ApiParams.Bool(f, "managed") ?? before.Managed,
            NamespacePerEnvironment = ApiParams.Bool(f, "namespace_per_environment") ?? before.NamespacePerEnvironment,
            EnvironmentScope = f.GetValueOrDefault("environment_scope") ?? before.EnvironmentScope,
            ApiUrl = platform.GetValueOrDefault("api_url") ?? before.ApiUrl,
            Token = platform.GetValueOrDefault("token")?.Trim() ?? before.Token,
            CaCert = platform.TryGetValue("ca_cert", out var ca) ? Blank(ca?.Trim()) : before.CaCert,
            Namespace = platform.TryGetValue("namespace", out var ns) ? Blank(ns?.ToLowerInvariant()) : before.Namespace,
            AuthorizationType = authorization,
        };
        return Check(cluster) is { } error ? (null, error) : (cluster, null);
    }

    private static IResult? Check(ClusterRecord c)
    {
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            return ApiJson.Invalid("name", "can't be blank");
        }

        if (string.IsNullOrWhiteSpace(c.EnvironmentScope))
        {
            return ApiJson.Invalid("environment_scope", "can't be blank");
        }

        if (!EnvironmentScopePattern().IsMatch(c.EnvironmentScope))
        {
            return ApiJson.Invalid("environment_scope", "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces");
        }

        if (!Uri.TryCreate(c.ApiUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return ApiJson.Invalid("platform_kubernetes.api_url", "is blocked: Only allowed schemes are http, https");
        }

        if (string.IsNullOrWhiteSpace(c.Token))
        {
            return ApiJson.Invalid("platform_kubernetes.token", "can't be blank");
        }

        if (c.Namespace is { } ns && (ns.Length > 63 || !NamespacePattern().IsMatch(ns)))
        {
            return ApiJson.Invalid("platform_kubernetes.namespace", "can contain only lowercase letters, digits, and '-'. Must start with a letter, and cannot end with '-'");
        }

        if (c.CaCert is { } pem && !IsCertificate(pem))
        {
            return ApiJson.Invalid("platform_kubernetes.ca_cert", "must be a valid PEM certificate");
        }

        return null;
    }

    private static bool IsCertificate(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The platform attributes, from a JSON object (a JSON body) or bracketed form or query fields.</summary>
    private static Dictionary<string, string?> PlatformFields(Dictionary<string, string> f)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (f.TryGetValue(Platform, out var json) && json.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    fields[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => p.Value.GetRawText(),
                    };
                }
            }
            catch (JsonException)
            {
                // not an object after all: no attributes
            }
        }

        foreach (var (key, value) in f.Where(p => p.Key.StartsWith(Platform + "[", StringComparison.Ordinal)))
        {
            fields[key[(Platform.Length + 1)..].TrimEnd(']')] = value;
        }

        return fields;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"\A[\w\-/$\{\}. *]+\z")]
    private static partial Regex EnvironmentScopePattern();
}
