using Relais.Pipelines.Context;

namespace Relais.Server.Git;

/// <summary>
/// The options of a push (<c>git push -o NAMESPACE.KEY[=VALUE]</c>), read as GitLab reads them: an option without a
/// value is <c>true</c>; <c>mr.</c> is <c>merge_request.</c>; only the known keys are kept (<c>ci.skip</c>,
/// <c>ci.variable</c>, <c>ci.input</c>, <c>integrations.skip_ci</c>, <c>secret_detection.skip_all</c> and the
/// <c>merge_request.*</c> ones), anything else is ignored. <c>ci.variable</c>, <c>ci.input</c> and the merge request's
/// label and assignee lists may repeat: they hold each value with how many times it was given, which is also the shape
/// of the push webhook's <c>push_options</c> (<c>{"ci": {"skip": true, "variable": {"A=1": 1}}}</c>).
/// </summary>
internal sealed class PushOptions
{
    /// <summary>No options (a push without <c>-o</c>, or a ref moved by the API).</summary>
    public static readonly PushOptions None = new(new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal));

    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        ["ci"] = ["skip", "variable", "input"],
        ["integrations"] = ["skip_ci"],
        ["secret_detection"] = ["skip_all"],
        ["merge_request"] =
        [
            "assign", "auto_merge", "create", "description", "draft", "label", "merge_when_pipeline_succeeds", "milestone",
            "remove_source_branch", "squash", "target", "target_project", "title", "unassign", "unlabel",
        ],
    };

    private static readonly HashSet<(string, string)> MultiValued =
    [
        ("ci", "variable"), ("ci", "input"), ("merge_request", "label"), ("merge_request", "unlabel"),
        ("merge_request", "assign"), ("merge_request", "unassign"),
    ];

    private readonly Dictionary<string, Dictionary<string, object>> _options;

    private PushOptions(Dictionary<string, Dictionary<string, object>> options) => _options = options;

    /// <summary>Whether the push's pipelines are to be skipped (<c>ci.skip</c>).</summary>
    public bool SkipsCi => Get("ci", "skip") is not null;

    /// <summary>
    /// The pipeline variables of <c>ci.variable="NAME=value"</c>, in the order given: an empty value is kept; a value
    /// without <c>=</c>, an empty name or one that is not a CI/CD variable name (letters, digits, <c>_</c>) is ignored.
    /// </summary>
    public IReadOnlyList<ContextVariable> Variables =>
        [.. Pairs("variable").Where(p => IsVariableName(p.Key)).Select(p => new ContextVariable(p.Key, p.Value))];

    /// <summary>The pipeline inputs of <c>ci.input="name=value"</c> (the value typed as YAML types it), or null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? Inputs
    {
        get
        {
            var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Pairs("input"))
            {
                inputs[key] = value;
            }

            return inputs.Count > 0 ? inputs : null;
        }
    }

    /// <summary>Whether any option was kept.</summary>
    public bool IsEmpty => _options.Count == 0;

    /// <summary>Reads the options as the client sent them (one per <c>-o</c>).</summary>
    public static PushOptions Parse(IEnumerable<string> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var options = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        foreach (var option in raw)
        {
            if (Split(option) is not var (space, key, value))
            {
                continue;
            }

            var keys = options.TryGetValue(space, out var found) ? found : options[space] = new(StringComparer.Ordinal);
            if (MultiValued.Contains((space, key)))
            {
                var text = value as string ?? "true";
                var counts = keys.TryGetValue(key, out var list) ? (Dictionary<string, int>)list : (Dictionary<string, int>)(keys[key] = new Dictionary<string, int>(StringComparer.Ordinal));
                counts[text] = counts.GetValueOrDefault(text) + 1;
            }
            else
            {
                keys[key] = value;
            }
        }

        return new PushOptions(options);
    }

    /// <summary>The value of <c>NAMESPACE.KEY</c>: <c>true</c>, a string, or a map of value → count; null when not given.</summary>
    public object? Get(string space, string key) => _options.TryGetValue(space, out var keys) ? keys.GetValueOrDefault(key) : null;

    /// <summary>The options as the push webhook shows them (<c>push_options</c>): namespace → key → value.</summary>
    public Dictionary<string, object?> ToJson() =>
        _options.ToDictionary(o => o.Key, object? (o) => o.Value.ToDictionary(k => k.Key, object? (k) => k.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// <c>namespace.key[=value]</c> split as GitLab's matcher does (the namespace up to the first dot, the key up to the
    /// first <c>=</c>, each trimmed; an empty value is <c>true</c>), the namespace alias resolved; null when not a known option.
    /// </summary>
    private static (string Space, string Key, object Value)? Split(string option)
    {
        var dot = option.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var rest = option[(dot + 1)..];
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        var space = option[..dot].Trim();
        var key = (equals < 0 ? rest : rest[..equals]).Trim();
        var value = equals < 0 ? "" : rest[(equals + 1)..].Trim();
        space = space == "mr" ? "merge_request" : space;
        if (key.Length == 0 || !Known.TryGetValue(space, out var keys) || !keys.Contains(key, StringComparer.Ordinal))
        {
            return null;
        }

        return (space, key, value.Length == 0 ? true : value);
    }

    /// <summary>The <c>NAME=value</c> entries of a repeatable <c>ci.</c> option, split at the first <c>=</c>; those without one or without a name are left out.</summary>
    private IEnumerable<KeyValuePair<string, string>> Pairs(string key)
    {
        if (Get("ci", key) is not Dictionary<string, int> counts)
        {
            yield break;
        }

        foreach (var entry in counts.Keys)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && entry[..equals].Trim().Length > 0)
            {
                yield return new(entry[..equals], entry[(equals + 1)..]);
            }
        }
    }

    private static bool IsVariableName(string key) => key.Length <= 255 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
