using System.Collections.Immutable;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines;

/// <summary>What to compile: the repository's files, the pipeline being created, and the entry file.</summary>
public sealed record CompileRequest(IConfigSource Source, PipelineContext Context)
{
    public string EntryFile { get; init; } = ".gitlab-ci.yml";

    /// <summary>Supplies <c>remote</c>, <c>template</c> and <c>component</c> includes; null reports them as not available.</summary>
    public IExternalIncludeResolver? ExternalIncludes { get; init; }

    /// <summary>Values for the entry file's own <c>spec:inputs</c> (child pipelines, <c>relais plan --input</c>).</summary>
    public IReadOnlyDictionary<string, YamlNode>? Inputs { get; init; }

    public YamlLimits Limits { get; init; } = YamlLimits.Default;

    /// <summary>Record, for every job, each clause evaluated and the values it compared (<see cref="JobDecision.Steps"/>).
    /// Off by default: it costs time, and only <c>relais plan --explain</c> shows it.</summary>
    public bool Explain { get; init; }
}

/// <summary>
/// The outcome of a compilation. <see cref="Plan"/> is null when there are errors or when
/// <c>workflow:rules</c> creates no pipeline (see <see cref="Workflow"/>).
/// </summary>
public sealed record CompileResult(
    PipelinePlan? Plan,
    IReadOnlyList<Diagnostic> Diagnostics,
    ImmutableArray<JobDecision> Decisions,
    WorkflowDecision Workflow)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>Whether <c>workflow:rules</c> let the pipeline be created, and which rule decided.</summary>
public sealed record WorkflowDecision(bool Created, string Reason, SourceLocation Location);

/// <summary>Why a job (as written, before parallel expansion) is in or out of the pipeline: for <c>relais plan --explain</c>.</summary>
/// <param name="Job">The job's name as written.</param>
/// <param name="Included">Whether it runs in this pipeline.</param>
/// <param name="Reason">One sentence on what decided, e.g. "rules[1] matched: if `$CI_COMMIT_BRANCH == "main"` is true".</param>
/// <param name="Steps">Each clause looked at, in order, with the values it compared.</param>
/// <param name="Location">The clause that decided (or the job when nothing did).</param>
public sealed record JobDecision(string Job, bool Included, string Reason, ImmutableArray<string> Steps, SourceLocation Location);

/// <summary>The <c>.gitlab-ci.yml</c> compiler: Parse → Include → Merge → Evaluate → Expand → Validate → Plan.</summary>
public static class PipelineCompiler
{
    public static CompileResult Compile(CompileRequest request) =>
        new Compilation.CompilerPipeline(new Compilation.CompilationState(request)).Run();
}
