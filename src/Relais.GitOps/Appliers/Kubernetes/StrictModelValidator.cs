using System.Reflection;
using k8s;
using YamlDotNet.Core;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Checks rendered objects against the KubernetesClient models, strictly: a field the model does not have, or a value of
/// the wrong type, is an error naming the object and the field (<c>Deployment app/web: unknown field "spec.replica"</c>).
/// Kinds without a model (custom resources) pass unchecked: the cluster validates them against their CRD.
/// </summary>
public static class StrictModelValidator
{
    private static readonly MethodInfo Deserialize = typeof(KubernetesYaml).GetMethod(
        nameof(KubernetesYaml.Deserialize), 1, [typeof(string), typeof(bool)]) ?? throw new MissingMethodException("KubernetesYaml.Deserialize<T>(string, bool)");

    /// <summary>Every error of the objects, in their order; empty when all are valid.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<RenderedObject> objects) =>
        objects.Select(Validate).OfType<string>().ToList();

    /// <summary>The object's first error, or null when it is valid (or has no model).</summary>
    public static string? Validate(RenderedObject rendered)
    {
        if (KubernetesModels.TypeOf(rendered.Ref.ApiVersion, rendered.Ref.Kind) is not { } type)
        {
            return null;
        }

        try
        {
            Deserialize.MakeGenericMethod(type).Invoke(null, [rendered.Yaml, true]);
            return null;
        }
        catch (TargetInvocationException e) when (e.InnerException is YamlException yaml)
        {
            return $"{rendered.Ref}: {Describe(rendered.Yaml, yaml)}";
        }
    }

    private static string Describe(string document, YamlException error)
    {
        var unknown = error.Message.Contains("not found on type", StringComparison.Ordinal);
        var root = ManifestStream.Parse(document);
        var place = root is null ? null : YamlPath.At(root, error.Start.Index, key: unknown);
        if (unknown && place is { IsKey: true })
        {
            return $"unknown field \"{place.Path}\"";
        }

        var reason = (error.InnerException ?? error).Message.Split('\n')[0].Trim();
        return place is null ? reason : $"{place.Path}: wrong type ({reason})";
    }
}
