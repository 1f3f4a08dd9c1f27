using System.Text;
using System.Text.Json;

namespace Relais.Dispatch;

/// <summary>
/// The kubeconfig GitLab gives a deploy job for a cluster setting: one cluster, one user (the token) and one context
/// joining them with the namespace, each named <c>gitlab-deploy</c>, the context current, and the CA (when there is
/// one) embedded as <c>certificate-authority-data</c>. Values are written as double-quoted YAML scalars.
/// </summary>
public static class KubeConfig
{
    public const string Name = "gitlab-deploy";

    public static string Of(string server, string ns, string token, string? caPem)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder();
        text.Append("---\napiVersion: v1\nclusters:\n- name: ").Append(Name).Append("\n  cluster:\n    server: ").Append(Quoted(server)).Append('\n');
        if (!string.IsNullOrEmpty(caPem))
        {
            text.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))).Append('\n');
        }

        text.Append("contexts:\n- name: ").Append(Name).Append("\n  context:\n    cluster: ").Append(Name)
            .Append("\n    namespace: ").Append(Quoted(ns)).Append("\n    user: ").Append(Name).Append('\n');
        text.Append("current-context: ").Append(Name).Append("\nkind: Config\nusers:\n- name: ").Append(Name)
            .Append("\n  user:\n    token: ").Append(Quoted(token)).Append('\n');
        return text.ToString();
    }

    /// <summary>A JSON string, which is also a YAML double-quoted scalar.</summary>
    private static string Quoted(string value) => JsonSerializer.Serialize(value);
}
