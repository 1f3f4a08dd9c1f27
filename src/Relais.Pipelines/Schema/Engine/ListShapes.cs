using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>A list whose items all have one shape, with optional bounds on its length and unique items.</summary>
internal sealed class ListShape(Shape item) : Shape
{
    public Shape Item { get; } = item;

    public int Min { get; init; }

    public int Max { get; init; } = int.MaxValue;

    public bool Unique { get; init; }

    /// <summary>Whether an empty value (<c>key:</c> with nothing after it) is accepted too.</summary>
    public bool AllowNull { get; init; }

    /// <summary>What to say of an empty list when <see cref="Min"/> is 1 (by default "must not be an empty list").</summary>
    public string? EmptyProblem { get; init; }

    protected override string DefaultExpected => "a list";

    public override bool Takes(YamlNode node) =>
        node is YamlSequence || (AllowNull && node is YamlScalar { IsNull: true });

    public override void Check(YamlNode node, At at, Checker checker)
    {
        if (node is not YamlSequence list)
        {
            return;
        }

        var items = list.Items;
        if (items.Length < Min)
        {
            checker.BadValue(node.Location, at, Min == 1 ? EmptyProblem ?? "must not be an empty list" : $"must have at least {Min} items");
        }
        else if (items.Length > Max)
        {
            checker.BadValue(node.Location, at, $"has {items.Length} items; at most {Max} are allowed");
        }

        for (var i = 0; i < items.Length; i++)
        {
            checker.Check(Item, items[i], at.Index(i));
            if (Unique && items[i] is not YamlReference && FirstEqual(items, i) is { } first)
            {
                checker.BadValue(items[i].Location, at.Index(i), $"repeats item {first} ({NodeFacts.Describe(items[i])}); items must be unique");
            }
        }
    }

    private static int? FirstEqual(System.Collections.Immutable.ImmutableArray<YamlNode> items, int i)
    {
        for (var j = 0; j < i; j++)
        {
            if (NodeFacts.SameValue(items[j], items[i]))
            {
                return j;
            }
        }

        return null;
    }
}

/// <summary>
/// Script lines: a list of strings, where an item may itself be a list of strings (as <c>!reference</c>
/// produces), nested up to ten levels as GitLab allows. Nested lists are flattened when the job runs.
/// </summary>
internal sealed class NestedStringsShape : Shape
{
    private const int MaxDepth = 10;
    private static readonly StrShape Line = new();

    public int Min { get; init; }

    protected override string DefaultExpected => "a list of strings";

    public override bool Takes(YamlNode node) => node is YamlSequence;

    public override void Check(YamlNode node, At at, Checker checker)
    {
        var list = (YamlSequence)node;
        if (list.Items.Length < Min)
        {
            checker.BadValue(node.Location, at, "must not be an empty list");
        }

        CheckItems(list, at, checker, 1);
    }

    private static void CheckItems(YamlSequence list, At at, Checker checker, int depth)
    {
        for (var i = 0; i < list.Items.Length; i++)
        {
            var item = list.Items[i];
            if (item is YamlSequence nested)
            {
                if (depth >= MaxDepth)
                {
                    checker.BadValue(item.Location, at.Index(i), $"lists of lines may be nested at most {MaxDepth} levels deep");
                    continue;
                }

                CheckItems(nested, at.Index(i), checker, depth + 1);
            }
            else
            {
                checker.Check(Line, item, at.Index(i));
            }
        }
    }
}
