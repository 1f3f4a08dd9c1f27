using System.Text.Json.Serialization;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// One Kubernetes object by identity: <c>apiVersion</c>, <c>kind</c>, namespace (null for cluster-scoped objects, and for
/// namespaced ones that leave it to kubectl's default namespace) and name.
/// </summary>
public sealed record ObjectRef(string ApiVersion, string Kind, string? Namespace, string Name)
{
    /// <summary>The API group: <c>apps</c> for <c>apps/v1</c>, empty for the core group (<c>v1</c>).</summary>
    [JsonIgnore]
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>The version: <c>v1</c> for <c>apps/v1</c>.</summary>
    [JsonIgnore]
    public string Version => ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>The type as kubectl's resource argument takes it: <c>deployment.v1.apps</c>, <c>configmap</c> for the core group.</summary>
    [JsonIgnore]
    public string ResourceType => KindType(ApiVersion, Kind);

    /// <summary>The object as the log and the results name it: <c>Deployment app/web</c>, <c>Namespace app</c>.</summary>
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>A kind as kubectl's resource argument: <c>deployment.v1.apps</c>, <c>configmap</c> for the core group.</summary>
    public static string KindType(string apiVersion, string kind)
    {
        var type = kind.ToLowerInvariant();
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? type : $"{type}.{apiVersion[(slash + 1)..]}.{apiVersion[..slash]}";
    }

    /// <summary>
    /// Whether a live object (as the cluster answers it) is this rendered one: same group, kind and name, and the same
    /// namespace unless this one names none (kubectl then applied it to its default namespace).
    /// </summary>
    public bool Matches(ObjectRef live) =>
        Group == live.Group && Kind == live.Kind && Name == live.Name && (Namespace is null || Namespace == live.Namespace);
}
