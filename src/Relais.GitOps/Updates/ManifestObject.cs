using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Updates;

/// <summary>The object a changed line belongs to (Flux's <c>ObjectIdentifier</c>); empty fields for a document without them.</summary>
public sealed record ManifestObject(string Name, string Namespace, string ApiVersion, string Kind)
{
    public static ManifestObject None { get; } = new("", "", "", "");
}

/// <summary>Finds the YAML document (and so the object) each line of a manifest file belongs to.</summary>
public sealed class ManifestObjects
{
    private readonly List<(int FirstLine, ManifestObject Object)> _documents;

    private ManifestObjects(List<(int FirstLine, ManifestObject Object)> documents)
    {
        _documents = documents;
    }

    /// <summary>Reads the documents of <paramref name="text"/>; a file that is not YAML has no objects.</summary>
    public static ManifestObjects Of(string file, string text)
    {
        var documents = new List<(int, ManifestObject)>();
        var nodes = YamlLoader.LoadDocuments(file, text, new DiagnosticBag()) ?? [];
        foreach (var node in nodes)
        {
            if (node is not YamlMapping document)
            {
                continue;
            }

            var metadata = document["metadata"] as YamlMapping;
            documents.Add((document.Location.Line, new ManifestObject(
                Text(metadata?["name"]), Text(metadata?["namespace"]), Text(document["apiVersion"]), Text(document["kind"]))));
        }

        return new ManifestObjects(documents);
    }

    /// <summary>The object of the document holding <paramref name="line"/> (1-based).</summary>
    public ManifestObject At(int line)
    {
        var found = ManifestObject.None;
        foreach (var (first, obj) in _documents)
        {
            if (first <= line)
            {
                found = obj;
            }
        }

        return found;
    }

    private static string Text(YamlNode? node) => node is YamlScalar { IsNull: false } scalar ? scalar.AsText() : "";
}
