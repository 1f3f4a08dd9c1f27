using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The field at a character index of a YAML document, as a path (<c>spec.template.spec.containers[0].image</c>):
/// where the models' deserializer stopped, said in the manifest's own terms.
/// </summary>
/// <param name="Path">The dotted path, with list indexes in brackets.</param>
/// <param name="IsKey">The index is on a mapping key (an unknown field) rather than on a value.</param>
public sealed record YamlPath(string Path, bool IsKey)
{
    /// <summary>The deepest field at <paramref name="index"/>, or null when the index is outside every field.</summary>
    public static YamlPath? At(YamlNode root, long index) => Find(root, index, "");

    private static YamlPath? Find(YamlNode node, long index, string path)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (Contains(key, index))
                    {
                        return new YamlPath(child, IsKey: true);
                    }

                    if (Contains(value, index))
                    {
                        return Find(value, index, child) ?? new YamlPath(child, IsKey: false);
                    }
                }

                return null;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (Contains(sequence.Children[i], index))
                    {
                        var child = $"{path}[{i}]";
                        return Find(sequence.Children[i], index, child) ?? new YamlPath(child, IsKey: false);
                    }
                }

                return null;
            default:
                return path.Length == 0 ? null : new YamlPath(path, IsKey: false);
        }
    }

    private static bool Contains(YamlNode node, long index) =>
        node.Start.Index <= index && (index < node.End.Index || node.Start.Index == index);
}
