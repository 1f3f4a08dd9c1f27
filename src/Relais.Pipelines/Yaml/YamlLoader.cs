using System.Collections.Immutable;
using Relais.Pipelines.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Relais.Pipelines.Yaml;

/// <summary>
/// Parse stage: YAML text to <see cref="YamlFile"/>. Resolves anchors, aliases and <c>&lt;&lt;</c> merge
/// keys, keeps <c>!reference</c> tags as <see cref="YamlReference"/> nodes, and keeps every position.
/// Aliases share nodes rather than copying them; the expanded size is counted so that alias bombs stop
/// with an error instead of exhausting memory later.
/// </summary>
public sealed class YamlLoader
{
    private const string ReferenceTag = "!reference";
    private const string MergeKey = "<<";

    private readonly string _path;
    private readonly YamlLimits _limits;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private IParser _parser = null!;

    private YamlLoader(string path, YamlLimits limits, DiagnosticBag diagnostics)
    {
        _path = path;
        _limits = limits;
        _diagnostics = diagnostics;
    }

    /// <summary>Parses <paramref name="text"/>; returns null (with diagnostics) when it cannot be read.</summary>
    public static YamlFile? Load(string path, string text, DiagnosticBag diagnostics, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (text.Length > limits.MaxFileBytes)
        {
            diagnostics.Error("yaml-too-large", new SourceLocation(path, 1, 1),
                $"the file is {text.Length / 1024} KiB; the largest configuration file accepted is {limits.MaxFileBytes / 1024} KiB");
            return null;
        }

        return new YamlLoader(path, limits, diagnostics).LoadFile(text);
    }

    /// <summary>
    /// Parses every document of a multi-document stream (<c>---</c>) as it is, without the CI
    /// configuration's shape rules; empty documents are left out. Null (with diagnostics) when unreadable.
    /// </summary>
    public static IReadOnlyList<YamlNode>? LoadDocuments(string path, string text, DiagnosticBag diagnostics, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (text.Length > limits.MaxFileBytes)
        {
            diagnostics.Error("yaml-too-large", new SourceLocation(path, 1, 1),
                $"the file is {text.Length / 1024} KiB; the largest file accepted is {limits.MaxFileBytes / 1024} KiB");
            return null;
        }

        var documents = new YamlLoader(path, limits, diagnostics).ReadDocuments(text);
        return documents?.Where(d => d is not YamlScalar { IsNull: true }).ToList();
    }

    private YamlFile? LoadFile(string text)
    {
        var documents = ReadDocuments(text);
        return documents is null ? null : Shape(documents);
    }

    private List<YamlNode>? ReadDocuments(string text)
    {
        var documents = new List<YamlNode>();
        try
        {
            _parser = new Parser(new StringReader(text));
            _parser.Consume<StreamStart>();
            while (_parser.TryConsume<DocumentStart>(out _))
            {
                _anchors.Clear();
                documents.Add(_parser.Accept<DocumentEnd>(out _) ? YamlScalar.Null(At(_parser.Current!.Start)) : ReadNode(0));
                _parser.Consume<DocumentEnd>();
            }

            _parser.Consume<StreamEnd>();
        }
        catch (LimitExceededException e)
        {
            _diagnostics.Error(e.Code, e.Location, e.Message);
            return null;
        }
        catch (YamlException e)
        {
            _diagnostics.Error("yaml-syntax", At(e.Start), "YAML syntax: " + CleanMessage(e));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // The YAML library throws these on some malformed input (an unclosed flow list at the end of the file).
            var at = _parser?.Current is { } current ? At(current.End) : new SourceLocation(_path, 1, 1);
            _diagnostics.Error("yaml-syntax", at, "YAML syntax: the file ends or breaks off inside a list or hash that is not closed");
            return null;
        }

        return documents;
    }

    private YamlFile? Shape(List<YamlNode> documents)
    {
        var start = new SourceLocation(_path, 1, 1);
        if (documents.Count == 0 || documents.All(d => d is YamlScalar { IsNull: true }))
        {
            return new YamlFile(_path, null, new YamlMapping(start, []));
        }

        var mappings = new List<YamlMapping>();
        foreach (var document in documents)
        {
            if (document is YamlScalar { IsNull: true })
            {
                continue;
            }

            if (document is not YamlMapping mapping)
            {
                _diagnostics.Error("yaml-not-a-hash", document.Location,
                    $"a CI configuration must be a hash of keywords and jobs, but this file holds {document.KindName}");
                return null;
            }

            mappings.Add(mapping);
        }

        if (mappings.Count == 1)
        {
            return new YamlFile(_path, null, mappings[0]);
        }

        if (mappings.Count == 2 && mappings[0].Count == 1 && mappings[0].ContainsKey("spec"))
        {
            return new YamlFile(_path, mappings[0], mappings[1]);
        }

        _diagnostics.Error("yaml-documents", mappings[1].Location,
            "a CI configuration holds one YAML document, or a `spec:` header document followed by `---` and the configuration");
        return null;
    }

    private YamlNode ReadNode(int depth)
    {
        if (depth > _limits.MaxDepth)
        {
            throw new LimitExceededException("yaml-too-deep", At(_parser.Current!.Start),
                $"the YAML is nested more than {_limits.MaxDepth} levels deep");
        }

        var current = _parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no anchor defined before it");
                }

                return target;
            case Scalar scalar:
                _parser.MoveNext();
                return Remember(scalar.Anchor, ReadScalar(scalar));
            case SequenceStart sequence:
                _parser.MoveNext();
                return Remember(sequence.Anchor, ReadSequence(sequence, depth));
            case MappingStart mapping:
                _parser.MoveNext();
                return Remember(mapping.Anchor, ReadMapping(mapping, depth));
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private YamlNode ReadScalar(Scalar scalar)
    {
        var at = At(scalar.Start);
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is ReferenceTag)
        {
            throw new YamlException(scalar.Start, scalar.End, "!reference takes a list, such as !reference [.setup, script]");
        }

        if (tag is "tag:yaml.org,2002:str" || scalar.Style != ScalarStyle.Plain)
        {
            return YamlScalar.String(scalar.Value, at);
        }

        if (tag is not null and not "!" and not ("tag:yaml.org,2002:int" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null" or "tag:yaml.org,2002:float"))
        {
            throw new YamlException(scalar.Start, scalar.End, $"the tag {tag} is not supported (GitLab CI knows only !reference)");
        }

        return new YamlScalar(at, scalar.Value, ScalarResolver.Resolve(scalar.Value));
    }

    private YamlNode ReadSequence(SequenceStart start, int depth)
    {
        var items = ImmutableArray.CreateBuilder<YamlNode>();
        long size = 1;
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            var item = ReadNode(depth + 1);
            size += SizeOf(item);
            items.Add(item);
        }

        var tag = start.Tag.IsEmpty ? null : start.Tag.Value;
        YamlNode node = tag switch
        {
            null or "!" or "tag:yaml.org,2002:seq" => new YamlSequence(At(start.Start), items.ToImmutable()),
            ReferenceTag => ToReference(start, items),
            _ => throw new YamlException(start.Start, start.End, $"the tag {tag} is not supported (GitLab CI knows only !reference)"),
        };
        return Sized(node, size);
    }

    private YamlReference ToReference(SequenceStart start, ImmutableArray<YamlNode>.Builder items)
    {
        if (items.Count == 0 || items.Any(i => i is not YamlScalar { IsNull: false }))
        {
            throw new YamlException(start.Start, start.End,
                "!reference takes a list of names, such as !reference [.setup, script]");
        }

        return new YamlReference(At(start.Start), [.. items.Cast<YamlScalar>().Select(s => s.AsText())]);
    }

    private YamlNode ReadMapping(MappingStart start, int depth)
    {
        var tag = start.Tag.IsEmpty ? null : start.Tag.Value;
        if (tag is not (null or "!" or "tag:yaml.org,2002:map"))
        {
            throw new YamlException(start.Start, start.End, $"the tag {tag} is not supported (GitLab CI knows only !reference)");
        }

        var entries = new List<YamlEntry>();
        HashSet<string>? seen = null;
        var merged = new List<(int Position, YamlMapping Source)>();
        long size = 1;
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            var key = ReadNode(depth + 1);
            var value = ReadNode(depth + 1);
            size += SizeOf(value) + 1;
            if (key is YamlScalar { Type: ScalarType.String or ScalarType.Null } plainKey && plainKey.Value == MergeKey
                && keyEvent is Scalar { Style: ScalarStyle.Plain })
            {
                foreach (var source in MergeSources(value, keyEvent))
                {
                    merged.Add((entries.Count, source));
                }

                continue;
            }

            if (key is not YamlScalar scalarKey)
            {
                throw new YamlException(keyEvent.Start, keyEvent.End, $"a key must be a plain name, not {key.KindName}");
            }

            var name = scalarKey.IsNull ? "" : scalarKey.Value;
            if (IsRepeated(entries, ref seen, name))
            {
                entries.RemoveAll(e => e.Key == name); // a repeated key: the later one wins, as in Psych
            }

            entries.Add(new YamlEntry(name, scalarKey.Location, value));
        }

        if (merged.Count > 0)
        {
            entries = ApplyMerges(entries, merged);
        }

        return Sized(new YamlMapping(At(start.Start), [.. entries]), size);
    }

    /// <summary>Whether <paramref name="name"/> is already a key: a scan for small hashes, a set for large ones.</summary>
    private static bool IsRepeated(List<YamlEntry> entries, ref HashSet<string>? seen, string name)
    {
        if (seen is null && entries.Count < 16)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Key, name, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        if (seen is null)
        {
            seen = new HashSet<string>(entries.Count * 2, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                seen.Add(entry.Key);
            }
        }

        return !seen.Add(name);
    }

    /// <summary>
    /// <c>&lt;&lt;: *a</c> or <c>&lt;&lt;: [*a, *b]</c>: keys written in the mapping win; among the merged
    /// sources, earlier ones win. Merged keys stand where the <c>&lt;&lt;</c> key stood.
    /// </summary>
    private static List<YamlEntry> ApplyMerges(List<YamlEntry> explicitEntries, List<(int Position, YamlMapping Source)> merged)
    {
        var taken = new HashSet<string>(explicitEntries.Select(e => e.Key), StringComparer.Ordinal);
        var result = new List<YamlEntry>(explicitEntries.Count + 8);
        var next = 0;
        for (var i = 0; i <= explicitEntries.Count; i++)
        {
            while (next < merged.Count && merged[next].Position == i)
            {
                foreach (var entry in merged[next].Source.Entries)
                {
                    if (taken.Add(entry.Key))
                    {
                        result.Add(entry);
                    }
                }

                next++;
            }

            if (i < explicitEntries.Count)
            {
                result.Add(explicitEntries[i]);
            }
        }

        return result;
    }

    private static IEnumerable<YamlMapping> MergeSources(YamlNode value, ParsingEvent at)
    {
        switch (value)
        {
            case YamlMapping mapping:
                return [mapping];
            case YamlSequence sequence when sequence.Items.All(i => i is YamlMapping):
                return sequence.Items.Cast<YamlMapping>();
            default:
                throw new YamlException(at.Start, at.End, "a merge key (<<) takes a hash or a list of hashes, such as <<: *defaults");
        }
    }

    private YamlNode Remember(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private static long SizeOf(YamlNode node) => node.ExpandedSize;

    private YamlNode Sized(YamlNode node, long size)
    {
        if (size > _limits.MaxExpandedNodes)
        {
            throw new LimitExceededException("yaml-too-large", node.Location,
                $"the YAML expands to more than {_limits.MaxExpandedNodes:N0} values once its aliases are resolved (an alias bomb?)");
        }

        node.ExpandedSize = size;
        return node;
    }

    private SourceLocation At(Mark mark) => new(_path, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0)
        {
            message = message[(close + 3)..];
        }

        return message.TrimEnd('.');
    }

    private sealed class LimitExceededException(string code, SourceLocation location, string message) : Exception(message)
    {
        public string Code { get; } = code;

        public SourceLocation Location { get; } = location;
    }
}
