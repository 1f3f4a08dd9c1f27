using System.Collections.Immutable;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Merge;

/// <summary>
/// Resolves every <c>!reference [name, key, …]</c> in the merged configuration, after includes and
/// <c>extends</c>, as GitLab does. A reference that stands as an item of a list and names a list is
/// spliced into it (so <c>rules</c>, <c>needs</c> and friends read as one flat list) — except in scripts,
/// where GitLab keeps the nested array and allows ten levels of nesting (checked by the schema; the plan
/// flattens them). Nested references resolve up to <see cref="MaxDepth"/> levels; deeper or circular
/// chains are errors. A reference that cannot be resolved is reported and left in place, so the job
/// holding it is not reported a second time for a key that seems missing.
/// </summary>
public sealed class ReferenceResolver
{
    public const int MaxDepth = 10;

    private readonly YamlMapping _document;
    private readonly DiagnosticBag _diagnostics;

    private ReferenceResolver(YamlMapping document, DiagnosticBag diagnostics)
    {
        _document = document;
        _diagnostics = diagnostics;
    }

    public static YamlMapping Resolve(YamlMapping document, DiagnosticBag diagnostics) =>
        (YamlMapping)new ReferenceResolver(document, diagnostics).Visit(document, 0, splice: true);

    /// <summary>The keys whose lists GitLab reads as nested arrays of lines rather than flattening references into them.</summary>
    private static bool IsScript(string key) => key is "script" or "before_script" or "after_script";

    private YamlNode Visit(YamlNode node, int depth, bool splice)
    {
        switch (node)
        {
            case YamlReference reference:
                return Follow(reference, depth, splice);
            case YamlMapping map:
                YamlEntry[]? changed = null;
                for (var i = 0; i < map.Entries.Length; i++)
                {
                    var entry = map.Entries[i];
                    var value = Visit(entry.Value, depth, !IsScript(entry.Key));
                    if (!ReferenceEquals(value, entry.Value))
                    {
                        changed ??= [.. map.Entries];
                        changed[i] = entry with { Value = value };
                    }
                }

                return changed is null ? map : new YamlMapping(map.Location, [.. changed]);
            case YamlSequence seq:
                return VisitSequence(seq, depth, splice);
            default:
                return node;
        }
    }

    private YamlNode VisitSequence(YamlSequence seq, int depth, bool splice)
    {
        ImmutableArray<YamlNode>.Builder? items = null;
        for (var i = 0; i < seq.Items.Length; i++)
        {
            var item = seq.Items[i];
            var value = Visit(item, depth, splice);
            if (ReferenceEquals(value, item) && items is null)
            {
                continue;
            }

            if (items is null)
            {
                items = ImmutableArray.CreateBuilder<YamlNode>(seq.Items.Length + 4);
                items.AddRange(seq.Items.Take(i));
            }

            if (splice && item is YamlReference && value is YamlSequence spliced)
            {
                items.AddRange(spliced.Items);
            }
            else
            {
                items.Add(value);
            }
        }

        return items is null ? seq : new YamlSequence(seq.Location, items.ToImmutable());
    }

    private YamlNode Follow(YamlReference reference, int depth, bool splice)
    {
        var shown = reference.ToString();
        if (depth >= MaxDepth)
        {
            _diagnostics.Error("reference-depth", reference.Location,
                $"{shown}: references nest more than {MaxDepth} levels deep (or refer to each other in a circle)");
            return reference;
        }

        YamlNode current = _document;
        for (var i = 0; i < reference.Path.Length; i++)
        {
            var key = reference.Path[i];
            if (current is not YamlMapping map || !map.TryGet(key, out var next))
            {
                var where = i == 0 ? $"`{key}` is not defined" : $"`{string.Join(".", reference.Path.Take(i))}` has no key `{key}`";
                _diagnostics.Error("reference-missing", reference.Location, $"{shown}: {where}");
                return reference;
            }

            current = next;
        }

        return Visit(current, depth + 1, splice);
    }
}
