using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// Where a value sits: its key path in GitLab's style (<c>jobs:build:artifacts:when</c>) and whether it
/// belongs to a job fragment. A job that still has <c>extends</c> is a fragment: its hashes are deep-merged
/// with its parents' later, so keys a parent may supply are not required yet, and a keyword set to
/// null removes what a parent set. List items are never fragments: lists replace their parents' lists.
/// </summary>
internal readonly record struct At
{
    private readonly PathSegment? _segment;

    public At(string path, bool Fragment)
        : this(path.Length == 0 ? null : new PathSegment(null, path, -1), Fragment)
    {
    }

    private At(PathSegment? segment, bool fragment)
    {
        _segment = segment;
        Fragment = fragment;
    }

    public bool Fragment { get; }

    /// <summary>The key path as text; built only when a finding needs it (checking a clean file builds none).</summary>
    public string Path => _segment?.ToString() ?? "";

    public At Key(string key) => new(new PathSegment(_segment, key, -1), Fragment);

    public At Index(int index) => new(new PathSegment(_segment, null, index), false);

    /// <summary>One step of a key path: a key, or a list index.</summary>
    private sealed class PathSegment(PathSegment? parent, string? key, int index)
    {
        public override string ToString()
        {
            var own = key ?? "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            if (parent is null)
            {
                return own;
            }

            var head = parent.ToString();
            return key is null ? head + own : head + ":" + own;
        }
    }
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
