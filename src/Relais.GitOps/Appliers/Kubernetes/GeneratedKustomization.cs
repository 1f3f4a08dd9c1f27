using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The kustomization Flux generates for a folder that has none: every manifest under it, recursively, as a resource.
/// A subfolder with a kustomization of its own is one resource (its files are its business); a YAML or JSON file whose
/// documents are not Kubernetes objects (no <c>apiVersion</c> and <c>kind</c>, e.g. a Helm values file) is left out;
/// a file that does not parse is kept, so that kustomize says what is wrong with it.
/// </summary>
public static class GeneratedKustomization
{
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    /// <summary>The resources of <paramref name="directory"/>: paths relative to it, with <c>/</c>, sorted.</summary>
    public static IReadOnlyList<string> ResourcesOf(string directory)
    {
        var resources = new List<string>();
        Collect(directory, directory, resources);
        resources.Sort(StringComparer.Ordinal);
        return resources;
    }

    /// <summary>Writes <c>kustomization.yaml</c> listing <see cref="ResourcesOf"/> into <paramref name="directory"/> (a temporary copy).</summary>
    public static void WriteInto(string directory)
    {
        var kustomization = new Dictionary<string, object>
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["resources"] = ResourcesOf(directory),
        };
        File.WriteAllText(Path.Combine(directory, KustomizationFile.Names[0]), JsonSerializer.Serialize(kustomization));
    }

    private static void Collect(string root, string directory, List<string> resources)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (ManifestExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase) && HoldsObjects(file))
            {
                resources.Add(Relative(root, file));
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (KustomizationFile.In(sub))
            {
                resources.Add(Relative(root, sub));
            }
            else
            {
                Collect(root, sub, resources);
            }
        }
    }

    private static bool HoldsObjects(string file)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = File.OpenText(file);
            yaml.Load(reader);
        }
        catch (YamlException)
        {
            return true;
        }

        var roots = yaml.Documents.Select(d => d.RootNode).Where(r => r is not YamlScalarNode { Value: null or "" }).ToList();
        return roots.Count > 0 && roots.All(r => r is YamlMappingNode m
            && m.Children.ContainsKey(new YamlScalarNode("apiVersion")) && m.Children.ContainsKey(new YamlScalarNode("kind")));
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
