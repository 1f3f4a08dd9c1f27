using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Diagnostics;

/// <summary>Collects the findings of one compilation. Not thread-safe: one per compilation.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public bool HasErrors { get; private set; }

    public IReadOnlyList<Diagnostic> Items => _items;

    public void Add(Diagnostic diagnostic)
    {
        _items.Add(diagnostic);
        HasErrors |= diagnostic.Severity == Severity.Error;
    }

    public void Error(string code, SourceLocation location, string message) =>
        Add(Diagnostic.Error(code, location, message));

    public void Warning(string code, SourceLocation location, string message) =>
        Add(Diagnostic.Warning(code, location, message));

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }

    /// <summary>Errors first, then by file, line and column, so output reads top to bottom.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        [.. _items
            .OrderBy(d => d.Severity == Severity.Error ? 0 : 1)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)];
}
