using Relais.Runner.Agent;
using YamlDotNet.RepresentationModel;

namespace Relais.Cli.Commands;

/// <summary>
/// Adds one runner entry to the runner's YAML config file (docs/runner.md): a new file gets <c>concurrent: 1</c> and
/// the entry; an existing one must read as a valid config first, keeps its other keys and runners, and gains the entry
/// at the end of <c>runners:</c> (comments are not kept). The result is read back with the runner's own loader.
/// </summary>
internal static class RunnerConfigFile
{
    /// <summary>The entry to add.</summary>
    public sealed record Entry(string Name, string Url, string Token, string Executor, IReadOnlyList<string> Tags, string? DockerImage);

    /// <summary>Writes <paramref name="entry"/> into <paramref name="path"/>; the error, or null when done.</summary>
    public static string? Append(string path, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stream = new YamlStream();
        YamlMappingNode root;
        if (File.Exists(path))
        {
            if (AgentConfigLoader.LoadFile(path).Error is { } invalid && !IsOnlyMissingRunners(path))
            {
                return invalid + " (fix the file first: it is left as it is)";
            }

            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            root = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m ? m : new YamlMappingNode();
            if (stream.Documents.Count == 0)
            {
                stream.Add(new YamlDocument(root));
            }
        }
        else
        {
            root = new YamlMappingNode { { "concurrent", "1" } };
            stream.Add(new YamlDocument(root));
        }

        var key = new YamlScalarNode("runners");
        if (!root.Children.TryGetValue(key, out var node) || node is not YamlSequenceNode runners)
        {
            runners = [];
            root.Children[key] = runners;
        }

        runners.Add(Node(entry));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp))
        {
            stream.Save(writer, assignAnchors: false);
        }

        if (AgentConfigLoader.LoadFile(temp).Error is { } error)
        {
            File.Delete(temp);
            return error;
        }

        File.Move(temp, path, overwrite: true);
        return null;
    }

    /// <summary>A file with no runners yet (what the loader refuses) may still gain its first.</summary>
    private static bool IsOnlyMissingRunners(string path) =>
        AgentConfigLoader.LoadFile(path).Error is { } error && error.Contains("runners", StringComparison.Ordinal) && !File.ReadAllText(path).Contains("- ", StringComparison.Ordinal);

    private static YamlMappingNode Node(Entry e)
    {
        var node = new YamlMappingNode
        {
            { "name", e.Name },
            { "url", e.Url },
            { "token", e.Token },
            { "executor", e.Executor },
        };
        if (e.Tags.Count > 0)
        {
            node.Add("tags", new YamlSequenceNode(e.Tags.Select(t => new YamlScalarNode(t))) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow });
        }

        if (e.DockerImage is { } image)
        {
            node.Add("docker", new YamlMappingNode { { "image", image } });
        }

        return node;
    }
}
