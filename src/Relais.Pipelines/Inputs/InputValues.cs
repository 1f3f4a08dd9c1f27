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

    private static bool Check(string file, string name, YamlMapping? spec, YamlNode value, DiagnosticBag diagnostics)
    {
        var type = spec?["type"].Text() ?? "string";
        var ok = type switch
        {
            "string" => value is YamlScalar,
            "number" => value is YamlScalar { Type: ScalarType.Int or ScalarType.Float },
            "boolean" => value is YamlScalar { Type: ScalarType.Bool },
            "array" => value is YamlSequence,
            _ => true,
        };
        if (!ok)
        {
            diagnostics.Error("inputs-type", value.Location, $"`{file}`: input `{name}` must be a {type}, but is {value.KindName}");
            return false;
        }

        var options = spec?["options"] as YamlSequence;
        if (options is not null && value is YamlScalar s && !options.Items.Any(o => o is YamlScalar os && os.AsText() == s.AsText()))
        {
            diagnostics.Error("inputs-options", value.Location,
                $"`{file}`: input `{name}` is `{s.AsText()}`, which is not one of {string.Join(", ", options.Items.Select(o => o.Text()))}");
            return false;
        }

        var regex = spec?["regex"].Text();
        if (regex is not null && value is YamlScalar && !TryCompile(regex, out _, out var regexError))
        {
            diagnostics.Error("inputs-regex", spec!["regex"]!.Location, $"`{file}`: input `{name}` has an invalid `regex` {regex}: {regexError}");
            return false;
        }

        if (regex is not null && value is YamlScalar rs && !Matches(regex, rs.AsText()))
        {
            diagnostics.Error("inputs-regex", value.Location, $"`{file}`: input `{name}` (`{rs.AsText()}`) does not match {regex}");
            return false;
        }

        return true;
    }

    /// <summary>GitLab reads <c>regex</c> as an RE2 pattern (slashes around it are dropped here); it runs in linear time.</summary>
    private static bool TryCompile(string regex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CiRegex? compiled, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        CiRegex.TryCreate(regex.Length > 1 && regex[0] == '/' && regex[^1] == '/' ? regex[1..^1] : regex, "", out compiled, out error);

    private static bool Matches(string regex, string value) =>
        TryCompile(regex, out var compiled, out _) && compiled.IsMatch(value);
}
