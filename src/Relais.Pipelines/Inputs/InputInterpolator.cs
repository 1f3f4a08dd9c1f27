using System.Collections.Immutable;
using System.Text;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Inputs;

/// <summary>
/// <c>spec:inputs</c>: checks the inputs given to a file (by <c>include:inputs</c> or the caller) against
/// its header — required ones present, types, <c>options</c>, <c>regex</c>, nothing unknown — and replaces
/// every <c>$[[ inputs.name ]]</c> (with optional functions <c>expand_vars</c>, <c>truncate(o,l)</c>,
/// <c>posix_escape</c>) in the file's keys and values. A value that is exactly one interpolation keeps
/// the input's type (a boolean stays a boolean, an array a list).
/// </summary>
public sealed class InputInterpolator
{
    private const string Open = "$[[";
    private readonly Dictionary<string, YamlNode> _values;
    private readonly DiagnosticBag _diagnostics;
    private readonly Func<string, string?> _variables;
    private readonly string _file;

    /// <summary>Whether the header declares inputs; without, only <c>inputs.</c> keys are looked at (all unknown).</summary>
    private readonly bool _declared;

    private InputInterpolator(string file, Dictionary<string, YamlNode> values, DiagnosticBag diagnostics, Func<string, string?> variables, bool declared)
    {
        _file = file;
        _declared = declared;
        _values = values;
        _diagnostics = diagnostics;
        _variables = variables;
    }

    /// <summary>The file's body with inputs interpolated, or null when the inputs do not fit its header.</summary>
    public static YamlMapping? Apply(
        YamlFile file,
        IReadOnlyDictionary<string, YamlNode>? given,
        SourceLocation givenAt,
        DiagnosticBag diagnostics,
        Func<string, string?> variables)
    {
        var specs = file.Header?["spec"].Map()?["inputs"].Map();
        if (specs is null)
        {
            if (given is { Count: > 0 })
            {
                diagnostics.Error("inputs-undeclared", givenAt,
                    $"`{file.Path}` declares no `spec:inputs`, but inputs were given: {string.Join(", ", given.Keys)}");
                return null;
            }

            // As in GitLab, a file with a `spec:` header is interpolated even when it declares no inputs,
            // so `$[[ inputs.x ]]` in its body is an unknown key; a file without a header is left as written.
            if (file.Header?["spec"] is null)
            {
                return file.Body;
            }

            specs = new YamlMapping(file.Header!.Location, []);
        }

        var declared = specs.Count > 0;
        var errors = diagnostics.Items.Count;
        var values = InputValues.Resolve(file.Path, specs, given ?? new Dictionary<string, YamlNode>(), givenAt, diagnostics);
        if (diagnostics.Items.Count > errors && diagnostics.HasErrors)
        {
            return null;
        }

        var interpolator = new InputInterpolator(file.Path, values, diagnostics, variables, declared);
        return (YamlMapping)interpolator.Visit(file.Body);
    }

    private YamlNode Visit(YamlNode node)
    {
        switch (node)
        {
            case YamlScalar { Type: ScalarType.String } s when s.Value.Contains(Open, StringComparison.Ordinal):
                return Interpolate(s);
            case YamlMapping map:
                var entries = ImmutableArray.CreateBuilder<YamlEntry>(map.Count);
                foreach (var e in map.Entries)
                {
                    var key = e.Key.Contains(Open, StringComparison.Ordinal)
                        ? InterpolateText(e.Key, e.KeyLocation)
                        : e.Key;
                    entries.Add(new YamlEntry(key, e.KeyLocation, Visit(e.Value)));
                }

                return new YamlMapping(map.Location, entries.MoveToImmutable());
            case YamlSequence seq:
                return new YamlSequence(seq.Location, [.. seq.Items.Select(Visit)]);
            default:
                return node;
        }
    }

    private YamlNode Interpolate(YamlScalar scalar)
    {
        var text = scalar.Value;
        var start = text.IndexOf(Open, StringComparison.Ordinal);
        var end = text.IndexOf("]]", start, StringComparison.Ordinal);
        if (start == 0 && end == text.Length - 2 && text.IndexOf(Open, 1, StringComparison.Ordinal) < 0)
        {
            var whole = Evaluate(text[3..end], scalar.Location);
            return whole switch
            {
                null => scalar,
                YamlScalar s => new YamlScalar(scalar.Location, s.Value, s.Type),
                YamlSequence q => new YamlSequence(scalar.Location, q.Items),
                _ => whole,
            };
        }

        return YamlScalar.String(InterpolateText(text, scalar.Location), scalar.Location);
    }

    private string InterpolateText(string text, SourceLocation at)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf(Open, i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf("]]", start, StringComparison.Ordinal);
            if (start < 0 || end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var value = Evaluate(text[(start + 3)..end], at);
            result.Append(value is null ? text[start..(end + 2)] : AsText(value));
            i = end + 2;
        }

        return result.ToString();
    }

    private YamlNode? Evaluate(string expression, SourceLocation at)
    {
        var parts = expression.Split('|', StringSplitOptions.TrimEntries);
        var access = parts[0];
        if (access.StartsWith("matrix.", StringComparison.Ordinal) || (!_declared && !access.StartsWith("inputs.", StringComparison.Ordinal)))
        {
            // A matrix expression (`needs:parallel:matrix`) is resolved per job when needs are resolved; a
            // header without inputs leaves other contexts as they were written.
            return null;
        }

        if (!access.StartsWith("inputs.", StringComparison.Ordinal))
        {
            _diagnostics.Error("inputs-interpolation", at, $"`$[[ {expression.Trim()} ]]`: only `inputs.NAME` can be interpolated");
            return null;
        }

        var name = access["inputs.".Length..];
        if (!_values.TryGetValue(name, out var value))
        {
            _diagnostics.Error("inputs-unknown", at,
                $"`$[[ {expression.Trim()} ]]`: unknown interpolation key: `{name}` (`{_file}` declares: {Declared()})");
            return null;
        }

        if (parts.Length > 4)
        {
            _diagnostics.Error("inputs-functions", at, $"`$[[ {expression.Trim()} ]]`: at most 3 functions may follow an input");
            return null;
        }

        foreach (var function in parts.Skip(1))
        {
            var text = InputFunctions.Apply(function, AsText(value), _variables, out var error);
            if (error is not null)
            {
                _diagnostics.Error("inputs-function", at, $"`$[[ {expression.Trim()} ]]`: {error}");
                return null;
            }

            value = YamlScalar.String(text!, at);
        }

        return value;
    }

    private string Declared() => _values.Count == 0 ? "no inputs" : string.Join(", ", _values.Keys);

    private static string AsText(YamlNode value) => value switch
    {
        YamlScalar s => s.AsText(),
        YamlSequence q => "[" + string.Join(", ", q.Items.Select(i => i is YamlScalar s ? Quote(s) : i.KindName)) + "]",
        _ => value.KindName,
    };

    private static string Quote(YamlScalar s) => s.Type == ScalarType.String ? "\"" + s.Value + "\"" : s.AsText();
}
