using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// A compose file as the docker tools normalize it (one document, a mapping), held as a YAML tree so it can be rewritten
/// (<see cref="ContentHashedObjects"/>) and saved; answers its services.
/// </summary>
public sealed class ComposeFile
{
    private readonly YamlStream _stream;

    private ComposeFile(YamlStream stream, YamlMappingNode root)
    {
        _stream = stream;
        Root = root;
    }

    /// <summary>The document's top-level mapping.</summary>
    public YamlMappingNode Root { get; }

    /// <summary>Reads normalized compose YAML; anything but a mapping is an <see cref="InvalidDataException"/>.</summary>
    public static ComposeFile Parse(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? new ComposeFile(stream, root)
            : throw new InvalidDataException("the compose file is not one YAML mapping");
    }

    /// <summary>The services, in the file's order.</summary>
    public IReadOnlyList<ComposeService> Services()
    {
        if (Child(Root, "services") is not YamlMappingNode services)
        {
            return [];
        }

        return [.. services.Children
            .Where(entry => entry.Key is YamlScalarNode && entry.Value is YamlMappingNode)
            .Select(entry => ServiceOf(((YamlScalarNode)entry.Key).Value!, (YamlMappingNode)entry.Value))];
    }

    /// <summary>The file as YAML text.</summary>
    public string Save()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        _stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>A mapping's value for a key, or null.</summary>
    internal static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    internal static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static ComposeService ServiceOf(string name, YamlMappingNode service)
    {
        var deploy = Child(service, "deploy") as YamlMappingNode;
        var global = deploy is not null && Scalar(deploy, "mode") == "global";
        var replicas = (deploy is null ? null : Scalar(deploy, "replicas")) ?? Scalar(service, "scale");
        int? wanted = global ? null : int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1; // `${N}` unread: 1
        return new ComposeService(name, Scalar(service, "image"), wanted, EnvironmentOf(Child(service, "environment")), PortsOf(Child(service, "ports")));
    }

    private static List<string> PortsOf(YamlNode? node) =>
        node is YamlSequenceNode list
            ? [.. list.Children.Select(port => port is YamlMappingNode longForm
                ? PublishedPort.Format(Scalar(longForm, "published"), Scalar(longForm, "target") ?? "", Scalar(longForm, "protocol"), Scalar(longForm, "mode"))
                : PublishedPort.Parse(((YamlScalarNode)port).Value ?? "")).Order(StringComparer.Ordinal)]
            : [];

    private static Dictionary<string, string?> EnvironmentOf(YamlNode? node)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (node is YamlMappingNode mapping)
        {
            foreach (var (key, value) in mapping.Children)
            {
                var scalar = value as YamlScalarNode;
                var unset = scalar is null || (scalar.Style == ScalarStyle.Plain && (string.IsNullOrEmpty(scalar.Value) || scalar.Value is "~" or "null"));
                environment[((YamlScalarNode)key).Value!] = unset ? null : scalar!.Value;
            }
        }
        else if (node is YamlSequenceNode list)
        {
            foreach (var item in list.Children.OfType<YamlScalarNode>())
            {
                var text = item.Value ?? "";
                var equals = text.IndexOf('=', StringComparison.Ordinal);
                environment[equals < 0 ? text : text[..equals]] = equals < 0 ? null : text[(equals + 1)..];
            }
        }

        return environment;
    }
}
