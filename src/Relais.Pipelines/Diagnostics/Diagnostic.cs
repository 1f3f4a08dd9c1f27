using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Diagnostics;

/// <summary>How bad a finding is: errors stop a pipeline, warnings are shown and do not.</summary>
public enum Severity
{
    Warning,
    Error,
}

/// <summary>
/// One finding of the compiler, as data. Every stage reports through these, never through exceptions,
/// so a run collects every problem of a configuration at once.
/// </summary>
/// <param name="Severity">Whether the finding stops the pipeline.</param>
/// <param name="Code">A stable short code (e.g. <c>yaml-syntax</c>, <c>unknown-key</c>), for tests and tooling.</param>
/// <param name="Location">Where in which file; <see cref="SourceLocation.None"/> when no place applies.</param>
/// <param name="Message">A sentence a person can act on, naming the key path where one applies.</param>
public sealed record Diagnostic(Severity Severity, string Code, SourceLocation Location, string Message)
{
    public static Diagnostic Error(string code, SourceLocation location, string message) =>
        new(Severity.Error, code, location, message);

    public static Diagnostic Warning(string code, SourceLocation location, string message) =>
        new(Severity.Warning, code, location, message);

    /// <summary><c>file:line:column: error: message</c>, the form editors and terminals understand.</summary>
    public override string ToString()
    {
        var where = Location.IsNone ? "" : Location + ": ";
        var level = Severity == Severity.Error ? "error" : "warning";
        return $"{where}{level}: {Message} [{Code}]";
    }
}
