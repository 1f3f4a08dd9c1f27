using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// One of several shapes, chosen by the kind of node: "a string or a hash" takes a string as the string
/// shape and a hash as the hash shape. The first alternative that takes the node decides.
/// </summary>
internal sealed class UnionShape(params Shape[] alternatives) : Shape
{
    protected override string DefaultExpected => NodeFacts.JoinOr(alternatives.Select(a => a.Expected));

    public override bool Takes(YamlNode node) => alternatives.Any(a => a.Takes(node));

    public override void Check(YamlNode node, At at, Checker checker) =>
        alternatives.First(a => a.Takes(node)).Check(node, at, checker);
}

/// <summary>
/// Several forms of one hash, told apart by the keyword that names the form: an include is <c>local</c>,
/// <c>project</c>, <c>remote</c>…; a need is a <c>job</c>, a <c>pipeline</c> or a <c>project</c>. Exactly one
/// form keyword may be present. With none, the <see cref="Fallback"/> form applies; without a fallback,
/// the one form whose keywords cover the hash is assumed (so <c>{file: x}</c> lacks its <c>project</c>),
/// or, when no single form fits, a form keyword is asked for.
/// </summary>
internal sealed class FormsShape(params (string Key, MapShape Shape)[] forms) : Shape
{
    /// <summary>The form of a hash that has none of the form keywords; null to require one.</summary>
    public MapShape? Fallback { get; init; }

    protected override string DefaultExpected =>
        "a hash with " + NodeFacts.JoinOr(forms.Select(f => "`" + f.Key + "`"));

    public override bool Takes(YamlNode node) => node is YamlMapping;

    public override void Check(YamlNode node, At at, Checker checker)
    {
        var map = (YamlMapping)node;
        var present = forms.Where(f => map.ContainsKey(f.Key)).ToList();
        if (present.Count > 1)
        {
            var second = map.Entry(present[1].Key)!.Value;
            checker.Conflict(second.KeyLocation, at,
                $"use only one of {NodeFacts.JoinOr(present.Select(f => "`" + f.Key + "`"))}, not several together");
            return;
        }

        var shape = present.Count == 1 ? present[0].Shape : Fallback ?? OnlyFit(map);
        if (shape is not null)
        {
            shape.Check(node, at, checker);
            return;
        }

        checker.MissingOneOf(node, at, forms.Select(f => f.Key));
        var known = forms.SelectMany(f => f.Shape.Keywords).Distinct().ToList();
        foreach (var entry in map.Entries.Where(e => !known.Contains(e.Key)))
        {
            checker.UnknownKey(entry, at, known, null);
        }
    }

    /// <summary>The single form whose keywords include every key of the hash, if there is exactly one.</summary>
    private MapShape? OnlyFit(YamlMapping map)
    {
        var fits = forms.Select(f => f.Shape).Distinct()
            .Where(shape => map.Count > 0 && map.Keys.All(k => shape.Keywords.Contains(k)))
            .ToList();
        return fits.Count == 1 ? fits[0] : null;
    }
}
