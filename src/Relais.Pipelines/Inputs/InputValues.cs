using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Expressions;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Inputs;

/// <summary>Checks given inputs against <c>spec:inputs</c> and fills in defaults.</summary>
internal static class InputValues
{
    public static Dictionary<string, YamlNode> Resolve(
        string file,
        YamlMapping specs,
        IReadOnlyDictionary<string, YamlNode> given,
        SourceLocation givenAt,
        DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var unknown in given.Keys.Where(k => !specs.ContainsKey(k)))
        {
            diagnostics.Error("inputs-unknown", given[unknown].Location,
                $"`{file}`: unknown input `{unknown}` (its spec:inputs declares: {string.Join(", ", specs.Keys)})");
        }

        foreach (var entry in specs.Entries)
        {
            var spec = entry.Value.Map();
            var hasDefault = spec is not null && spec.ContainsKey("default");
            if (!given.TryGetValue(entry.Key, out var value))
            {
                if (!hasDefault)
                {
                    diagnostics.Error("inputs-required", givenAt, $"`{file}`: input `{entry.Key}` is required and was not given");
                    continue;
                }

                value = spec!["default"]!;
            }

            if (Check(file, entry.Key, spec, value, diagnostics))
            {
                values[entry.Key] = value;
            }
        }

        return values;
    }

    /// <summary>The input types GitLab knows.</summary>
    private static readonly string[] Types = ["array", "boolean", "number", "string"];

    private static bool Check(string file, string name, YamlMapping? spec, YamlNode value, DiagnosticBag diagnostics)
    {
        var type = spec?["type"].Text() ?? "string";
        if (!Types.Contains(type, StringComparer.Ordinal))
        {
            diagnostics.Error("inputs-type", spec!["type"]!.Location,
                $"`{file}`: unknown input specification for `{name}` (valid types: {string.Join(", ", Types)})");
            return false;
        }

        var ok = type switch
        {
            "string" => value is YamlScalar { Type: ScalarType.String } || IsGivenAsText(value),
            "number" => value is YamlScalar { Type: ScalarType.Int or ScalarType.Float },
            "boolean" => value is YamlScalar { Type: ScalarType.Bool },
            _ => value is YamlSequence,
        };
        if (!ok)
        {
            var which = ReferenceEquals(value, spec?["default"]) ? "default" : "provided";
            var article = type == "array" ? "an" : "a";
            diagnostics.Error("inputs-type", value.Location,
                $"`{file}`: `{name}` input: {which} value is not {article} {type} (it is {value.KindName})");
            return false;
        }

        if (spec?["options"] is YamlSequence options && OutsideOptions(value, options) is { } outside)
        {
            diagnostics.Error("inputs-options", value.Location,
                $"`{file}`: `{name}` input: `{outside}` cannot be used because it is not in the list of allowed options " +
                $"({string.Join(", ", options.Items.Select(o => o.Text()))})");
            return false;
        }

        var regex = spec?["regex"].Text();
        if (regex is not null && !TryCompile(regex, out _, out var regexError))
        {
            diagnostics.Error("inputs-regex", spec!["regex"]!.Location, $"`{file}`: `{name}` input: invalid regular expression {regex}: {regexError}");
            return false;
        }

        if (regex is not null && value is YamlScalar rs && !Matches(regex, rs.AsText()))
        {
            diagnostics.Error("inputs-regex", value.Location, $"`{file}`: input `{name}` (`{rs.AsText()}`) does not match {regex}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Values typed as text on the command line (<see cref="CompileInputs.FromText"/>, placed at line 0) read as
    /// YAML would type them; a string input takes such a value whatever it looks like.
    /// </summary>
    private static bool IsGivenAsText(YamlNode value) => value is YamlScalar && value.Location.Line == 0;

    /// <summary>The first value not among <paramref name="options"/>: the scalar itself, or an item of an array.</summary>
    private static string? OutsideOptions(YamlNode value, YamlSequence options)
    {
        IEnumerable<YamlNode> values = value is YamlSequence list ? list.Items : [value];
        return values
            .Select(v => v is YamlScalar s ? s.AsText() : v.KindName)
            .FirstOrDefault(text => !options.Items.Any(o => o is YamlScalar os && os.AsText() == text));
    }

    /// <summary>GitLab reads <c>regex</c> as an RE2 pattern (slashes around it are dropped here); it runs in linear time.</summary>
    private static bool TryCompile(string regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CiRegex? compiled, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        CiRegex.TryCreate(regex.Length > 1 && regex[0] == '/' && regex[^1] == '/' ? regex[1..^1] : regex, "", out compiled, out error);

    private static bool Matches(string regex, string value) =>
        TryCompile(regex, out var compiled, out _) && compiled.IsMatch(value);
}
