using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Expressions;
using Relais.Pipelines.Globs;
using Relais.Pipelines.Variables;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// The compiler's one seam to its utilities (expressions, variable expansion, globs, schema checks), so
/// the stages read the same whatever those utilities' own shapes are.
/// </summary>
internal static class Support
{
    /// <summary>GitLab's server-side expansion: <c>$X</c>/<c>${X}</c> replaced, undefined references kept.</summary>
    public static string Expand(string text, Func<string, string?> lookup) => VariableExpander.Expand(text, lookup);

    public static CiExpression? ParseExpression(string text, out string? error)
    {
        var ok = CiExpression.TryParse(text, out var expression, out var parseError);
        error = parseError?.Message;
        return ok ? expression : null;
    }

    /// <summary>The result, and the comparisons made on the way (for <c>--explain</c>).</summary>
    public static (bool Result, IReadOnlyList<string> Steps) Evaluate(CiExpression expression, Func<string, string?> lookup)
    {
        var trace = expression.EvaluateWithTrace(lookup);
        return (trace.Result, trace.Steps);
    }

    /// <summary>A glob for <c>rules:changes</c> and <c>rules:exists</c>.</summary>
    public static Func<string, bool> Glob(string pattern) => Globs.Glob.Compile(pattern).IsMatch;

    /// <summary>A glob for <c>include:local</c> wildcards.</summary>
    public static Func<string, bool> IncludeGlob(string pattern) => Globs.Glob.Compile(pattern).IsMatch;

    public static void ValidateGlobals(YamlMapping document, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Entries.Where(e => Schema.SchemaValidator.IsGlobalKeyword(e.Key)))
        {
            Schema.SchemaValidator.ValidateGlobal(entry, diagnostics);
        }
    }

    public static void ValidateJob(string name, YamlMapping job, SourceLocation at, DiagnosticBag diagnostics) =>
        Schema.SchemaValidator.ValidateJob(name, job, at, diagnostics);
}
