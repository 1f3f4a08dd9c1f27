using Relais.Pipelines.Plan;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// The variables visible at one point of the compilation (a rule, an include, a job), as layers in
/// GitLab's precedence: a layer added later wins. Lookups expand <c>$OTHER</c> references inside values
/// against the whole scope (raw variables stay as written), as GitLab does before it evaluates an
/// expression. Layers share their parents, so a scope per job costs only that job's own variables.
/// </summary>
internal sealed class VariableScope
{
    private readonly VariableScope? _parent;
    private readonly Dictionary<string, (string Value, bool Raw)>? _own;
    private readonly PlanVariable[]? _few;
    private Dictionary<string, string>? _expanded;
    private HashSet<string>? _expanding;

    private VariableScope(VariableScope? parent, Dictionary<string, (string Value, bool Raw)>? own, PlanVariable[]? few = null)
    {
        _parent = parent;
        _own = own;
        _few = few;
    }

    public static VariableScope Empty { get; } = new(null, new Dictionary<string, (string, bool)>(StringComparer.Ordinal));

    public static VariableScope Of(IEnumerable<PlanVariable> variables) => Empty.With(variables);

    /// <summary>A new scope: this one's variables with <paramref name="layer"/> on top.</summary>
    public VariableScope With(IEnumerable<PlanVariable> layer)
    {
        if (layer is IReadOnlyCollection<PlanVariable> { Count: <= 8 } small)
        {
            // Most layers (a job's own variables, matrix values, job predefined) are a handful: a scan beats a dictionary.
            return small.Count == 0 ? this : new VariableScope(this, null, [.. small]);
        }

        var own = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        foreach (var v in layer)
        {
            own[v.Key] = (v.Value, v.Raw);
        }

        return own.Count == 0 ? this : new VariableScope(this, own);
    }

    public bool IsDefined(string name) => Find(name) is not null;

    /// <summary>The expanded value of <paramref name="name"/>, or null when it is not defined.</summary>
    public string? Lookup(string name)
    {
        if (Find(name) is not { } v)
        {
            return null;
        }

        if (v.Raw || !v.Value.Contains('$', StringComparison.Ordinal))
        {
            return v.Value;
        }

        _expanded ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (_expanded.TryGetValue(name, out var done))
        {
            return done;
        }

        _expanding ??= new HashSet<string>(StringComparer.Ordinal);
        if (!_expanding.Add(name))
        {
            return v.Value;
        }

        var expanded = Support.Expand(v.Value, Lookup);
        _expanding.Remove(name);
        return _expanded[name] = expanded;
    }

    /// <summary>Expands references in <paramref name="text"/>; undefined ones are kept as written.</summary>
    public string Expand(string text) => text.Contains('$', StringComparison.Ordinal) ? Support.Expand(text, Lookup) : text;

    private (string Value, bool Raw)? Find(string name)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._few is { } few)
            {
                for (var i = few.Length - 1; i >= 0; i--)
                {
                    if (string.Equals(few[i].Key, name, StringComparison.Ordinal))
                    {
                        return (few[i].Value, few[i].Raw);
                    }
                }
            }
            else if (scope._own!.TryGetValue(name, out var v))
            {
                return v;
            }
        }

        return null;
    }
}
