using System.Collections.Immutable;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Merge;

/// <summary>
/// Tidies a merged job the way GitLab reads it: a key set to null is absent (that is how <c>extends</c>
/// and includes drop an inherited value), and lists that anchors or <c>!reference</c> nested inside
/// <c>needs</c> are flattened, with empty entries dropped.
/// </summary>
public static class JobNormalizer
{
    private static readonly string[] FlattenedLists = ["needs", "dependencies", "tags"];

    public static YamlMapping Normalize(YamlMapping job)
    {
        var result = job;
        foreach (var entry in job.Entries)
        {
            if (entry.Value is YamlScalar { IsNull: true })
            {
                result = result.Without(entry.Key);
            }
            else if (entry.Value is YamlSequence seq && FlattenedLists.Contains(entry.Key) && seq.Items.Any(i => i is YamlSequence or YamlScalar { IsNull: true }))
            {
                result = result.With(entry.Key, new YamlSequence(seq.Location, Flatten(seq)));
            }
        }

        return result;
    }

    private static ImmutableArray<YamlNode> Flatten(YamlSequence seq)
    {
        var items = ImmutableArray.CreateBuilder<YamlNode>();
        foreach (var item in seq.Items)
        {
            switch (item)
            {
                case YamlSequence nested:
                    items.AddRange(Flatten(nested));
                    break;
                case YamlScalar { IsNull: true }:
                    break;
                default:
                    items.Add(item);
                    break;
            }
        }

        return items.ToImmutable();
    }
}
