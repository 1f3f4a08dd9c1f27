using System.Collections.Frozen;
using System.Reflection;
using k8s.Models;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The KubernetesClient model type of each built-in <c>apiVersion</c> and <c>kind</c> (read from the models'
/// <see cref="KubernetesEntityAttribute"/>s). Kinds it does not know (custom resources) have none.
/// </summary>
public static class KubernetesModels
{
    private static readonly FrozenDictionary<(string ApiVersion, string Kind), Type> Types = typeof(V1Deployment).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(e => e.Entity is { Kind.Length: > 0, ApiVersion.Length: > 0 })
        .Select(e => (Key: (ApiVersionOf(e.Entity!), e.Entity!.Kind), e.Type))
        .DistinctBy(e => e.Key)
        .ToFrozenDictionary(e => e.Key, e => e.Type);

    /// <summary>The model type of an object, or null for a kind the models do not have.</summary>
    public static Type? TypeOf(string apiVersion, string kind) => Types.GetValueOrDefault((apiVersion, kind));

    private static string ApiVersionOf(KubernetesEntityAttribute entity) =>
        string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
}
