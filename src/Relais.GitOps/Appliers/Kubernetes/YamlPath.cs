using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The field at a character index of a YAML document, as a path (<c>spec.template.spec.containers[0].image</c>):
/// where the models' deserializer stopped, said in the manifest's own terms. The deserializer points at the start of
/// a node (the key of an unknown field, the value it could not convert), so nodes are found by where they start.
/// </summary>
/// <param name="Path">The dotted path, with list indexes in brackets.</param>
/// <param name="IsKey">The index is on a mapping key (an unknown field) rather than on a value.</param>
public sealed record YamlPath(string Path, bool IsKey)
{
    /// <summary>
    /// The key starting at <paramref name="index"/> when <paramref name="key"/>, else the outermost value starting there;
    /// failing both, the last node starting before it; null when there is none.
    /// </summary>
    public static YamlPath? At(YamlNode root, long index, bool key)
    {
        var nodes = new List<(YamlPath Place, long Start)>();
        Collect(root, "", nodes);
        return nodes.FirstOrDefault(n => n.Start == index && n.Place.IsKey == key).Place
            ?? nodes.FirstOrDefault(n => n.Start == index).Place
            ?? nodes.LastOrDefault(n => n.Start <= index && n.Place.Path.Length > 0).Place;
    }

    private static void Collect(YamlNode node, string path, List<(YamlPath, long)> nodes)
    {
        if (path.Length > 0)
        {
            nodes.Add((new YamlPath(path, IsKey: false), node.Start.Index));
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    nodes.Add((new YamlPath(child, IsKey: true), key.Start.Index));
                    Collect(value, child, nodes);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Collect(sequence.Children[i], $"{path}[{i}]", nodes);
                }

                break;
        }
    }
}
