using System.Collections.Immutable;

namespace Relais.Pipelines.Yaml;

/// <summary>Small readers shared by the stages that turn YAML values into plan values.</summary>
public static class YamlValues
{
    /// <summary>The node as text when it is a non-null scalar; null otherwise.</summary>
    public static string? Text(this YamlNode? node) => node is YamlScalar { IsNull: false } s ? s.AsText() : null;

    public static bool IsNullOrAbsent(this YamlNode? node) => node is null or YamlScalar { IsNull: true };

    /// <summary>A string, or a list of strings (nested lists flattened up to <paramref name="maxDepth"/> levels).</summary>
    public static ImmutableArray<string> Strings(this YamlNode? node, int maxDepth = 10)
    {
        if (node.IsNullOrAbsent())
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        Flatten(node!, result, maxDepth);
        return result.ToImmutable();
    }

    private static void Flatten(YamlNode node, ImmutableArray<string>.Builder into, int depth)
    {
        switch (node)
        {
            case YamlScalar { IsNull: true }:
                return;
            case YamlScalar s:
                into.Add(s.AsText());
                return;
            case YamlSequence seq when depth >= 0:
                foreach (var item in seq.Items)
                {
                    Flatten(item, into, depth - 1);
                }

                return;
            default:
                return;
        }
    }

    public static bool? Bool(this YamlNode? node) => node is YamlScalar s ? s.AsBool() : null;

    public static long? Int(this YamlNode? node) => node is YamlScalar s ? s.AsInt() : null;

    /// <summary>The integer, or the integers of a list (for <c>exit_codes: 1</c> and <c>exit_codes: [1, 2]</c>).</summary>
    public static ImmutableArray<int> Ints(this YamlNode? node) => node switch
    {
        YamlScalar s when s.AsInt() is { } v => [(int)v],
        YamlSequence seq => [.. seq.Items.Select(i => i.Int()).Where(v => v is not null).Select(v => (int)v!.Value)],
        _ => [],
    };

    public static YamlMapping? Map(this YamlNode? node) => node as YamlMapping;
}
