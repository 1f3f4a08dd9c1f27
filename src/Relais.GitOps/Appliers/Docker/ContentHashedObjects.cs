using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Gives every top-level <c>configs:</c> and <c>secrets:</c> entry read from a <c>file:</c> a <c>name:</c> ending in a
/// short hash of the file's content (<c>demo_nginx-conf-3f2a9c1b</c>) and the label <see cref="Label"/>. Swarm refuses to
/// change a config in use, so a changed file makes a new object instead, and the services using it roll. External
/// objects and those from the environment are left as they are.
/// </summary>
public static class ContentHashedObjects
{
    /// <summary>The label the hashed objects carry, so that old ones of a stack can be found and removed.</summary>
    public const string Label = "dev.relais.gitops.hashed";

    /// <summary>Swarm's longest config or secret name.</summary>
    private const int MaxName = 64;

    /// <summary>
    /// Rewrites <paramref name="file"/> in place; relative <c>file:</c> paths are read from <paramref name="baseDirectory"/>
    /// and written back absolute. Answers the objects named.
    /// </summary>
    public static IReadOnlyList<HashedObject> Apply(ComposeFile file, string stack, string baseDirectory)
    {
        var named = new List<HashedObject>();
        foreach (var (section, kind) in new[] { ("configs", "config"), ("secrets", "secret") })
        {
            if (ComposeFile.Child(file.Root, section) is not YamlMappingNode objects)
            {
                continue;
            }

            foreach (var (keyNode, value) in objects.Children)
            {
                if (value is not YamlMappingNode definition || ComposeFile.Scalar(definition, "file") is not { } path
                    || ComposeFile.Scalar(definition, "external") is "true")
                {
                    continue;
                }

                var key = ((YamlScalarNode)keyNode).Value!;
                var full = Path.GetFullPath(path, baseDirectory);
                var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)))[..8];
                var baseName = ComposeFile.Scalar(definition, "name") ?? stack + "_" + key;
                var name = baseName[..Math.Min(baseName.Length, MaxName - 9)] + "-" + hash;
                definition.Children[new YamlScalarNode("file")] = new YamlScalarNode(full);
                definition.Children[new YamlScalarNode("name")] = new YamlScalarNode(name);
                AddLabel(definition);
                named.Add(new HashedObject(kind, key, name));
            }
        }

        return named;
    }

    /// <summary>Adds <see cref="Label"/> to the object's labels, a mapping or a <c>key=value</c> list.</summary>
    private static void AddLabel(YamlMappingNode definition)
    {
        switch (ComposeFile.Child(definition, "labels"))
        {
            case YamlSequenceNode list:
                list.Children.Add(new YamlScalarNode(Label + "=true"));
                break;
            case YamlMappingNode labels:
                labels.Children[new YamlScalarNode(Label)] = new YamlScalarNode("true") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
                break;
            default:
                definition.Children[new YamlScalarNode("labels")] = new YamlMappingNode(
                    new YamlScalarNode(Label), new YamlScalarNode("true") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
                break;
        }
    }
}
