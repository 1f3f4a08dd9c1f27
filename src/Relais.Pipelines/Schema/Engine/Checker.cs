using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// Walks a YAML value against a <see cref="Shape"/> and turns what is wrong into diagnostics with the
/// node's location and a message naming the key path. A <c>!reference</c> is accepted wherever a value
/// goes: it is resolved, and the result checked, by a later stage.
/// </summary>
internal sealed class Checker(DiagnosticBag bag)
{
    /// <summary>False in the scratch checker that tries a retyped value, so hints do not recurse.</summary>
    private bool _hints = true;

    public void Check(Shape shape, YamlNode node, At at)
    {
        if (node is YamlReference)
        {
            return;
        }

        if (!shape.Takes(node))
        {
            WrongType(shape, node, at);
            return;
        }

        shape.Check(node, at, this);
    }

    public void WrongType(Shape shape, YamlNode node, At at) =>
        bag.Error(SchemaCodes.WrongType, node.Location,
            $"{Prefix(at)}must be {shape.Expected}, but {NodeFacts.Actual(node)}{(_hints ? RetypeHint(shape, node) : "")}");

    /// <summary>A value of the right kind that is not allowed; <paramref name="problem"/> is the rest of the sentence.</summary>
    public void BadValue(SourceLocation location, At at, string problem) =>
        bag.Error(SchemaCodes.BadValue, location, Prefix(at) + problem);

    public void UnknownKey(YamlEntry entry, At at, IReadOnlyCollection<string> keywords, string? note)
    {
        var message = $"{Prefix(at)}unknown keyword `{entry.Key}`";
        var near = Suggestions.Closest(entry.Key, keywords);
        if (note is not null)
        {
            message += " (" + note + (near is null ? ")" : $"; did you mean `{near}`?)");
        }
        else if (near is not null)
        {
            message += $" (did you mean `{near}`?)";
        }
        else if (keywords.Count is > 0 and <= 12)
        {
            message += "; expected " + NodeFacts.JoinOr(keywords.Select(k => "`" + k + "`"));
        }

        bag.Error(SchemaCodes.UnknownKey, entry.KeyLocation, message);
    }

    /// <summary>"`name` is required", or with <paramref name="with"/> "`project` is required with `ref`".</summary>
    public void MissingKey(YamlNode map, At at, string key, string? with = null) =>
        bag.Error(SchemaCodes.MissingKey, map.Location,
            $"{Prefix(at)}`{key}` is required" + (with is null ? "" : $" with `{with}`"));

    public void MissingOneOf(YamlNode map, At at, IEnumerable<string> keys) =>
        bag.Error(SchemaCodes.MissingKey, map.Location,
            $"{Prefix(at)}needs one of {NodeFacts.JoinOr(keys.Select(k => "`" + k + "`"))}");

    public void Conflict(SourceLocation location, At at, string problem) =>
        bag.Error(SchemaCodes.ConflictingKeys, location, Prefix(at) + problem);

    public void Warning(string code, SourceLocation location, At at, string problem) =>
        bag.Warning(code, location, Prefix(at) + problem);

    private static string Prefix(At at) => at.Path.Length == 0 ? "" : at.Path + ": ";

    /// <summary>
    /// "5" where a number goes, or a bare <c>yes</c> where text goes: says how to write the value so it is
    /// read as the kind the keyword takes, when the value written that way would be accepted.
    /// </summary>
    private static string RetypeHint(Shape shape, YamlNode node)
    {
        if (node is not YamlScalar scalar || scalar.IsNull)
        {
            return "";
        }

        if (scalar.Type == ScalarType.String)
        {
            var unquoted = ScalarResolver.Resolve(scalar.Value);
            return unquoted is not (ScalarType.String or ScalarType.Null)
                && Accepts(shape, new YamlScalar(scalar.Location, scalar.Value, unquoted))
                ? $" (it is quoted, so it is read as text; write {scalar.Value} without quotes)"
                : "";
        }

        return Accepts(shape, YamlScalar.String(scalar.Value, scalar.Location))
            ? $" (write it in quotes, '{scalar.Value}', to use it as text)"
            : "";
    }

    /// <summary>Whether the shape would accept the node without any error (checked into a scratch bag).</summary>
    private static bool Accepts(Shape shape, YamlNode node)
    {
        var scratch = new DiagnosticBag();
        new Checker(scratch) { _hints = false }.Check(shape, node, new At("", Fragment: false));
        return !scratch.HasErrors;
    }
}
