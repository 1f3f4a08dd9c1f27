using System.Globalization;
using Relais.Protocol.Jobs;
using Relais.Runner.Executors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Relais.Runner.Agent;

/// <summary>The config file read, or why it could not be.</summary>
/// <param name="Config">The configuration, when the file is valid.</param>
/// <param name="Error">The first problem, as <c>file:line:column: message</c>.</param>
public readonly record struct AgentConfigResult(AgentConfig? Config, string? Error);

/// <summary>
/// Reads the agent's YAML config file with YamlDotNet's low-level parser, so every problem points at its
/// <c>file:line:column</c>: <c>concurrent</c>, <c>shutdown_timeout</c> (seconds) and <c>runners:</c>, a list of entries
/// with <c>name</c>, <c>url</c>, <c>token</c>, <c>executor</c>, <c>limit</c>, <c>output_limit</c> (KiB), <c>request_concurrency</c>, <c>tags</c>,
/// <c>builds_dir</c>, <c>cache_dir</c> (relative to the file's directory), <c>allow_untrusted</c> (true/false), <c>environment</c> (<c>KEY=value</c> strings
/// or a mapping), <c>pre_get_sources_script</c>, <c>pre_build_script</c>, <c>post_build_script</c> (a string or a list).
/// Unknown keys are errors, so a typo never silently changes what runs.
/// </summary>
public static partial class AgentConfigLoader
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static AgentConfigResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Load(path, File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, $"{path}: cannot read the config file: {e.Message}");
        }
    }

    /// <summary>Reads <paramref name="text"/> as the file <paramref name="path"/>; relative directories resolve against <paramref name="baseDir"/>.</summary>
    public static AgentConfigResult Load(string path, string text, string baseDir)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                throw new ConfigError(new Mark(), "the config file is empty");
            }

            var root = Node.Read(parser);
            return new(Config(root, baseDir), null);
        }
        catch (ConfigError e)
        {
            return new(null, $"{path}:{e.At.Line}:{e.At.Column}: {e.Message}");
        }
        catch (YamlException e)
        {
            return new(null, $"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message}");
        }
    }

    private static AgentConfig Config(Node root, string baseDir)
    {
        var config = new AgentConfig();
        List<RunnerEntry>? runners = null;
        foreach (var (key, value) in root.Map("the config file"))
        {
            switch (key.Text)
            {
                case "concurrent":
                    config = config with { Concurrent = value.Int(key.Text, 1) };
                    break;
                case "shutdown_timeout":
                    config = config with { ShutdownTimeout = TimeSpan.FromSeconds(value.Int(key.Text, 0)) };
                    break;
                case "runners":
                    runners = value.Seq(key.Text).Select(n => Entry(n, baseDir)).ToList();
                    break;
                default:
                    throw new ConfigError(key.At, $"unknown key `{key.Text}`; expected concurrent, shutdown_timeout or runners");
            }
        }

        return runners is { Count: > 0 } ? config with { Runners = runners } : throw new ConfigError(root.At, "no runners: add a `runners:` list with at least one entry");
    }

    private static RunnerEntry Entry(Node node, string baseDir)
    {
        Uri? url = null;
        string? token = null;
        var entry = new RunnerEntry { Url = new Uri("http://unset/"), Token = "", BuildsDir = Path.Combine(baseDir, "builds"), CacheDir = Path.Combine(baseDir, "cache") };
        foreach (var (key, value) in node.Map("a runner entry"))
        {
            entry = key.Text switch
            {
                "name" => entry with { Name = value.Scalar(key.Text) },
                "url" => entry with { Url = url = ParseUrl(value) },
                "token" => entry with { Token = token = value.Scalar(key.Text) },
                "executor" => ExecutorCatalog.Contains(value.Scalar(key.Text))
                    ? entry with { Executor = value.Scalar(key.Text) }
                    : throw new ConfigError(value.At, ExecutorCatalog.Unknown(value.Text)),
                "limit" => entry with { Limit = value.Int(key.Text, 0) },
                "output_limit" => entry with { OutputLimit = value.Int(key.Text, 0) * 1024L },
                "request_concurrency" => entry with { RequestConcurrency = value.Int(key.Text, 1) },
                "tags" => entry with { Tags = value.Strings(key.Text, splitCommas: true) },
                "builds_dir" => entry with { BuildsDir = Path.Combine(baseDir, value.Scalar(key.Text)) },
                "cache_dir" => entry with { CacheDir = Path.Combine(baseDir, value.Scalar(key.Text)) },
                "environment" => entry with { Environment = Environment(value) },
                "pre_get_sources_script" => entry with { PreGetSourcesScript = value.Strings(key.Text) },
                "pre_build_script" => entry with { PreBuildScript = value.Strings(key.Text) },
                "post_build_script" => entry with { PostBuildScript = value.Strings(key.Text) },
                "docker" => entry with { Docker = DockerOptions(value) },
                "allow_untrusted" => entry with { AllowUntrusted = Bool(value, key.Text) },
                _ => throw new ConfigError(key.At, $"unknown runner key `{key.Text}`"),
            };
        }

        return url is null ? throw new ConfigError(node.At, "this runner has no `url`")
            : string.IsNullOrEmpty(token) ? throw new ConfigError(node.At, "this runner has no `token`")
            : entry;
    }

    private static Uri ParseUrl(Node value) =>
        Uri.TryCreate(value.Scalar("url"), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ConfigError(value.At, $"`{value.Text}` is not an http(s) URL");

    private static List<JobVariable> Environment(Node value)
    {
        if (value.Children is null)
        {
            return value.Pairs.Select(p => new JobVariable(p.Key.Text, p.Value.Scalar(p.Key.Text))).ToList();
        }

        return value.Children.Select(item =>
        {
            var text = item.Scalar("environment");
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            return eq > 0 ? new JobVariable(text[..eq], text[(eq + 1)..]) : throw new ConfigError(item.At, $"`{text}` should be KEY=value");
        }).ToList();
    }

    private sealed class ConfigError(Mark at, string message) : Exception(message)
    {
        public Mark At { get; } = at;
    }

    /// <summary>A YAML node with its position: a scalar, a sequence (<see cref="Children"/>) or a mapping (<see cref="Pairs"/>).</summary>
    private sealed class Node
    {
        public required Mark At { get; init; }

        public string Text { get; init; } = "";

        public List<Node>? Children { get; init; }

        public List<(Node Key, Node Value)> Pairs { get; init; } = [];

        public bool IsMap { get; init; }

        public static Node Read(IParser parser)
        {
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                return new Node { At = scalar.Start, Text = scalar.Value };
            }

            if (parser.TryConsume<SequenceStart>(out var seq))
            {
                var children = new List<Node>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    children.Add(Read(parser));
                }

                return new Node { At = seq.Start, Children = children };
            }

            if (parser.TryConsume<MappingStart>(out var map))
            {
                var pairs = new List<(Node, Node)>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = Read(parser);
                    pairs.Add((key.Children is null && !key.IsMap ? key : throw new ConfigError(key.At, "keys must be plain names"), Read(parser)));
                }

                return new Node { At = map.Start, Pairs = pairs, IsMap = true };
            }

            throw new ConfigError(parser.Current?.Start ?? new Mark(), "anchors and aliases are not supported in the config file");
        }

        public List<(Node Key, Node Value)> Map(string what) => IsMap ? Pairs : throw new ConfigError(At, $"{what} should be a mapping of keys");

        public List<Node> Seq(string key) => Children ?? throw new ConfigError(At, $"`{key}` should be a list");

        public string Scalar(string key) => Children is null && !IsMap ? Text : throw new ConfigError(At, $"`{key}` should be a single value");

        public int Int(string key, int min) =>
            int.TryParse(Scalar(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ConfigError(At, $"`{key}` should be a whole number of at least {min}, not `{Text}`");

        public List<string> Strings(string key, bool splitCommas = false) => Children is { } items
            ? items.Select(i => i.Scalar(key)).ToList()
            : splitCommas ? [.. Scalar(key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [Scalar(key)];
    }
}
