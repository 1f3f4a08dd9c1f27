using Relais.Pipelines.Diagnostics;

namespace Relais.Cli.Output;

/// <summary>Writes diagnostics as <c>file:line:column: error: message</c>, the form editors jump to.</summary>
internal static class DiagnosticsText
{
    public static void Write(TextWriter writer, IEnumerable<Diagnostic> diagnostics, Terminal term)
    {
        foreach (var d in diagnostics)
        {
            var where = d.Location.IsNone ? "" : term.Bold(d.Location.ToString()) + ": ";
            var level = d.Severity == Severity.Error ? term.Red("error") : term.Yellow("warning");
            writer.WriteLine($"{where}{level}: {d.Message} {term.Dim("[" + d.Code + "]")}");
        }
    }
}
