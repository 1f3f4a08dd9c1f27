using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Expressions;
using Relais.Pipelines.Plan;

namespace Relais.Pipelines.Compilation;

/// <summary>The state one compilation shares between its stages: the request, the findings, and caches.</summary>
internal sealed class CompilationState(CompileRequest request)
{
    private readonly Dictionary<string, CiExpression?> _expressions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _expressionErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string, bool>> _globs = new(StringComparer.Ordinal);

    public CompileRequest Request { get; } = request;

    public PipelineContext Context => Request.Context;

    public DiagnosticBag Diagnostics { get; } = new();

    /// <summary>Predefined pipeline variables (CI_COMMIT_*, CI_PIPELINE_SOURCE, …).</summary>
    public VariableScope Predefined { get; } = VariableScope.Of(PredefinedVariables.ForPipeline(request.Context));

    /// <summary>The context's own variables (project, pipeline, <c>--variable</c>): they override YAML variables. Those scoped to an environment reach only the jobs, at dispatch.</summary>
    public IReadOnlyList<PlanVariable> ContextVariables { get; } =
        [.. request.Context.Variables.Where(v => v.Unscoped).Select(v => new PlanVariable(v.Key, v.Value, v.Raw))];

    /// <summary>What include rules and interpolation see: predefined variables with the context's on top.</summary>
    public VariableScope PipelineScope => _pipelineScope ??= Predefined.With(ContextVariables);

    private VariableScope? _pipelineScope;

    /// <summary>Parses an expression once per compilation; null (and <paramref name="error"/>) when it does not parse.</summary>
    public CiExpression? Expression(string text, out string? error)
    {
        if (!_expressions.TryGetValue(text, out var expression))
        {
            expression = Support.ParseExpression(text, out var parseError);
            _expressions[text] = expression;
            _expressionErrors[text] = parseError;
        }

        error = _expressionErrors[text];
        return expression;
    }

    /// <summary>A matcher for a <c>changes</c>/<c>exists</c>/<c>include</c> glob, compiled once per compilation.</summary>
    public Func<string, bool> Glob(string pattern)
    {
        if (!_globs.TryGetValue(pattern, out var matcher))
        {
            _globs[pattern] = matcher = Support.Glob(pattern);
        }

        return matcher;
    }

    private IReadOnlyList<string>? _files;

    /// <summary>The repository's file list, read once.</summary>
    public IReadOnlyList<string> Files => _files ??= Request.Source.ListFiles();
}
