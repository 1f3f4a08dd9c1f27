using System.Collections;
using Relais.Protocol.Jobs;

namespace Relais.Runner.Variables;

/// <summary>
/// A job's variables in precedence order (later keys win), immutable. Lookups go from the end, as the runner's do.
/// Once the job's temporary directory is known (<see cref="ExpandValues(Func{string, string})"/>), a reference to a
/// file variable expands to its file's path, not its content, as gitlab-runner does since 15.7.
/// </summary>
public sealed class JobVariables : IReadOnlyList<JobVariable>
{
    private readonly JobVariable[] _items;
    private readonly Dictionary<string, int> _last;
    private readonly Func<string, string>? _filePath;

    /// <summary>Creates the collection.</summary>
    public JobVariables(IEnumerable<JobVariable> variables)
        : this(variables, null)
    {
    }

    private JobVariables(IEnumerable<JobVariable> variables, Func<string, string>? filePath)
    {
        _filePath = filePath;
        ArgumentNullException.ThrowIfNull(variables);
        _items = variables.ToArray();
        _last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _items.Length; i++)
        {
            _last[_items[i].Key] = i;
        }
    }

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public JobVariable this[int index] => _items[index];

    /// <summary>The value of the last variable named <paramref name="key"/>, or null.</summary>
    public string? Get(string key) => _last.TryGetValue(key, out var i) ? _items[i].Value : null;

    /// <summary>The last variable named <paramref name="key"/>, or null.</summary>
    public JobVariable? Find(string key) => _last.TryGetValue(key, out var i) ? _items[i] : null;

    /// <summary>Whether a variable is set to a true value (<c>true</c>, <c>1</c>, case-insensitive).</summary>
    public bool IsTrue(string key) => Get(key)?.Trim().ToUpperInvariant() is "TRUE" or "1";

    /// <summary>Expands <c>$VAR</c> references in <paramref name="value"/> against these variables.</summary>
    public string Expand(string value) => VariableExpander.Expand(value, Reference);

    /// <summary>A copy with every value that is not raw expanded once against this collection.</summary>
    public JobVariables ExpandValues() => ExpandValues(_filePath);

    /// <summary>
    /// A copy with every value that is not raw expanded once against this collection, where a reference to a file
    /// variable gives <paramref name="filePath"/> of its name (the path scripts see); the copy expands the same way.
    /// </summary>
    public JobVariables ExpandValues(Func<string, string>? filePath)
    {
        var paths = new JobVariables(_items, filePath);
        return new(_items.Select(v => v.Raw || !v.Value.Contains('$', StringComparison.Ordinal) ? v : v with { Value = paths.Expand(v.Value) }), filePath);
    }

    /// <summary>A copy where <paramref name="key"/> is set to <paramref name="value"/> at its place (or appended).</summary>
    public JobVariables With(string key, string value)
    {
        if (!_last.TryGetValue(key, out var index))
        {
            return new JobVariables(_items.Append(new JobVariable(key, value)), _filePath);
        }

        var copy = (JobVariable[])_items.Clone();
        copy[index] = copy[index] with { Value = value };
        return new JobVariables(copy, _filePath);
    }

    /// <summary>What a <c>$key</c> reference stands for: the value, or for a file variable its path once known.</summary>
    private string? Reference(string key) =>
        _last.TryGetValue(key, out var i) ? (_items[i].File && _filePath is not null ? _filePath(key) : _items[i].Value) : null;

    /// <summary>The values to mask in the log: every masked variable's value.</summary>
    public IEnumerable<string> MaskedValues() => _items.Where(v => v.Masked && v.Value.Length > 0).Select(v => v.Value);

    /// <inheritdoc />
    public IEnumerator<JobVariable> GetEnumerator() => ((IEnumerable<JobVariable>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
