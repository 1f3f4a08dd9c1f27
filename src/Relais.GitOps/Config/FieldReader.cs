using System.Globalization;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Config;

/// <summary>
/// Reads the fields of one YAML hash by name, reporting wrong types and missing required fields, and,
/// on <see cref="Finish"/>, every field that was never asked for as unknown (with a "did you mean").
/// </summary>
internal sealed class FieldReader(YamlMapping mapping, string path, List<ConfigError> errors)
{
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    public YamlMapping Mapping => mapping;

    public List<ConfigError> Errors => errors;

    public string PathOf(string key) => path.Length == 0 ? key : path + "." + key;

    public void Error(SourceLocation at, string message) => errors.Add(new ConfigError(at, message));

    public YamlNode? Node(string key, bool required = false)
    {
        _asked.Add(key);
        if (mapping[key] is { } node && node is not YamlScalar { IsNull: true })
        {
            return node;
        }

        if (required)
        {
            Error(mapping.Location, $"{PathOf(key)}: required field is missing");
        }

        return null;
    }

    public string? String(string key, bool required = false)
    {
        switch (Node(key, required))
        {
            case null:
                return null;
            case YamlScalar { Type: ScalarType.String or ScalarType.Int or ScalarType.Float } scalar:
                return scalar.AsText();
            case var other:
                Error(other.Location, $"{PathOf(key)}: expected a string, found {other.KindName}");
                return null;
        }
    }

    public bool? Bool(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlScalar scalar when scalar.AsBool() is { } value:
                return value;
            case var other:
                Error(other.Location, $"{PathOf(key)}: expected true or false, found {other.KindName}");
                return null;
        }
    }

    public TimeSpan? Duration(string key, bool required = false)
    {
        var node = Node(key, required);
        if (node is not YamlScalar scalar)
        {
            if (node is not null)
            {
                Error(node.Location, $"{PathOf(key)}: expected a duration (e.g. 5m, 1h30m), found {node.KindName}");
            }

            return null;
        }

        if (GoDuration.TryParse(scalar.AsText()) is { } duration)
        {
            return duration;
        }

        Error(scalar.Location, $"{PathOf(key)}: \"{scalar.AsText()}\" is not a duration (e.g. 5m, 1h30m)");
        return null;
    }

    public IReadOnlyList<string> Strings(string key)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlSequence sequence:
                var values = new List<string>();
                foreach (var item in sequence.Items)
                {
                    if (item is YamlScalar { IsNull: false } scalar)
                    {
                        values.Add(scalar.AsText());
                    }
                    else
                    {
                        Error(item.Location, $"{PathOf(key)}: expected a list of strings, found {item.KindName} in it");
                    }
                }

                return values;
            case var other:
                Error(other.Location, $"{PathOf(key)}: expected a list of strings, found {other.KindName}");
                return [];
        }
    }

    /// <summary>A nested hash as its own reader (call <see cref="Finish"/> on it too), or null.</summary>
    public FieldReader? Nested(string key, bool required = false)
    {
        switch (Node(key, required))
        {
            case null:
                return null;
            case YamlMapping nested:
                return new FieldReader(nested, PathOf(key), errors);
            case var other:
                Error(other.Location, $"{PathOf(key)}: expected a hash, found {other.KindName}");
                return null;
        }
    }

    /// <summary>A value that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string key, IReadOnlyList<string> allowed, bool required = false)
    {
        var value = String(key, required);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Error(mapping[key]!.Location, $"{PathOf(key)}: \"{value}\" is not one of {string.Join(", ", allowed)}");
            return null;
        }

        return value;
    }

    /// <summary>Flux fields that exist but that relais gitops does not act on: an error saying so, not "unknown".</summary>
    public void Unsupported(params string[] keys)
    {
        foreach (var key in keys)
        {
            _asked.Add(key);
            if (mapping.Entry(key) is { } entry)
            {
                Error(entry.KeyLocation, $"{PathOf(key)}: Flux's field is not supported by relais gitops");
            }
        }
    }

    /// <summary>Reports every field of the hash that no reader asked for.</summary>
    public void Finish()
    {
        foreach (var entry in mapping.Entries.Where(e => !_asked.Contains(e.Key)))
        {
            var suggestion = Suggest(entry.Key);
            Error(entry.KeyLocation, $"unknown field \"{PathOf(entry.Key)}\"" + (suggestion is null ? "" : $" (did you mean {suggestion}?)"));
        }
    }

    private string? Suggest(string key) =>
        _asked.Select(k => (Key: k, Distance: EditDistance(k.ToLower(CultureInfo.InvariantCulture), key.ToLower(CultureInfo.InvariantCulture))))
            .Where(c => c.Distance <= Math.Max(1, c.Key.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Key).FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
