using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Reads <c>kubectl kustomize</c>'s output: a stream of YAML documents separated by <c>---</c> lines, one object each,
/// into <see cref="RenderedObject"/>s (and back into one stream for kubectl's standard input).
/// </summary>
public static class ManifestStream
{
    /// <summary>The objects of the stream, in its order; an object without <c>apiVersion</c>, <c>kind</c> or <c>metadata.name</c> is an error.</summary>
    public static IReadOnlyList<RenderedObject> Read(string stream)
    {
        var objects = new List<RenderedObject>();
        foreach (var document in Documents(stream))
        {
            var root = Parse(document);
            if (root is null)
            {
                continue;
            }

            var apiVersion = Scalar(root, "apiVersion");
            var kind = Scalar(root, "kind");
            var metadata = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var node) ? node as YamlMappingNode : null;
            var name = metadata is null ? null : Scalar(metadata, "name");
            if (apiVersion is null || kind is null || name is null)
            {
                throw new KubernetesApplyException($"a rendered object has no apiVersion, kind or metadata.name: {FirstLine(document)}");
            }

            var ns = metadata is null ? null : Scalar(metadata, "namespace");
            objects.Add(new RenderedObject(new ObjectRef(apiVersion, kind, string.IsNullOrEmpty(ns) ? null : ns, name), document));
        }

        return objects;
    }

    /// <summary>The objects as one stream, each document ending with a newline, separated by <c>---</c>.</summary>
    public static string Write(IEnumerable<RenderedObject> objects) =>
        string.Join("---\n", objects.Select(o => o.Yaml.EndsWith('\n') ? o.Yaml : o.Yaml + "\n"));

    /// <summary>The root mapping of one document, or null for an empty one.</summary>
    internal static YamlMappingNode? Parse(string document)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(document));
        }
        catch (YamlException e)
        {
            throw new KubernetesApplyException($"kustomize printed YAML that does not parse ({e.Start}): {e.Message}");
        }

        return yaml.Documents.Count == 0 ? null
            : yaml.Documents[0].RootNode as YamlMappingNode ?? throw new KubernetesApplyException($"a rendered document is not a mapping: {FirstLine(document)}");
    }

    private static IEnumerable<string> Documents(string stream)
    {
        var current = new StringBuilder();
        foreach (var line in stream.Split('\n'))
        {
            if (line.TrimEnd('\r') == "---")
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(line).Append('\n');
            }
        }

        var last = current.ToString();
        if (last.Trim().Length > 0)
        {
            yield return last;
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static string FirstLine(string document) => document.Trim().Split('\n')[0];
}
