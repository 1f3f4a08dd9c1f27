using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// Where a value sits: its key path in GitLab's style (<c>jobs:build:artifacts:when</c>) and whether it
/// belongs to a job fragment. A job that still has <c>extends</c> is a fragment: its hashes are deep-merged
/// with its parents' later, so keys a parent may supply are not required yet, and a keyword set to
/// null removes what a parent set. List items are never fragments: lists replace their parents' lists.
/// </summary>
internal readonly record struct At(string Path, bool Fragment)
{
    public At Key(string key) => this with { Path = Path.Length == 0 ? key : Path + ":" + key };

    public At Index(int index) => new(Path + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", false);
}

/// <summary>
/// A rule for one YAML value: which kinds of node it takes, and what it checks in a node of that kind.
/// Shapes are built once into immutable keyword tables and shared; they report through a <see cref="Checker"/>.
/// </summary>
internal abstract class Shape
{
    /// <summary>Overrides <see cref="DefaultExpected"/> in messages, e.g. "a number from 1 to 200, or a `matrix:` list".</summary>
    public string? Text { get; init; }

    /// <summary>What a value of this shape is, after "must be": "a string", "true or false", "one of a, b".</summary>
    public string Expected => Text ?? DefaultExpected;

    protected abstract string DefaultExpected { get; }

    /// <summary>Whether the node is of a kind this shape takes; unions use it to pick an alternative.</summary>
    public abstract bool Takes(YamlNode node);

    /// <summary>Checks a node this shape <see cref="Takes"/>; nested values go back through <see cref="Checker.Check"/>.</summary>
    public abstract void Check(YamlNode node, At at, Checker checker);
}
