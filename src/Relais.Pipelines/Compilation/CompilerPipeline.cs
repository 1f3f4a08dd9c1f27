using System.Collections.Immutable;
using Relais.Pipelines.Build;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Evaluate;
using Relais.Pipelines.Includes;
using Relais.Pipelines.Inputs;
using Relais.Pipelines.Merge;
using Relais.Pipelines.Plan;
using Relais.Pipelines.JobGraph;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// The compiler, top to bottom: Parse → Include → Merge (extends, references, default) → Evaluate
/// (workflow, rules, only/except) → Expand (parallel) → Validate (stages, needs) → Plan. Each line calls
/// a stage that lives in its own folder; findings accumulate as diagnostics and the plan is withheld
/// when any is an error.
/// </summary>
internal sealed class CompilerPipeline(CompilationState compilation)
{
    /// <summary>The most jobs one pipeline may have once <c>parallel</c> is expanded.</summary>
    public const int MaxJobs = 10_000;

    private DiagnosticBag Diagnostics => compilation.Diagnostics;

    public CompileResult Run()
    {
        var entry = Parse();
        if (entry is null)
        {
            return Result(null, [], NotCreated("the configuration could not be read"));
        }

        var included = new IncludeStage(compilation).Run(entry.Path, entry.Body);
        if (Diagnostics.HasErrors)
        {
            // As in GitLab, a configuration whose includes cannot be read is not checked further: what the
            // missing files would define is unknown, and guessing would bury the real error.
            return Result(null, [], NotCreated("an include could not be read"));
        }

        var extended = ExtendsStage.Apply(included, Diagnostics);
        var resolved = ReferenceResolver.Resolve(extended, Diagnostics);
        var config = ConfigDocument.Read(resolved, Diagnostics);
        Support.ValidateGlobals(resolved, Diagnostics);
        var stages = Stages.Read(resolved);
        var jobs = JobDefinitions.Build(compilation, config, stages);

        var globals = JobParts.Variables(resolved["variables"]);
        var globalScope = compilation.Predefined.With(globals).With(compilation.ContextVariables);
        var workflow = new WorkflowEvaluator(new RuleClauses(compilation)).Evaluate(config.Workflow, globalScope);
        if (!workflow.Decision.Created)
        {
            var skipped = jobs.Select(j => new JobDecision(j.Name, false, "no pipeline: " + workflow.Decision.Reason, [], workflow.Decision.Location));
            return Result(null, [.. skipped], workflow.Decision);
        }

        globals = Override(globals, JobParts.Variables(workflow.Variables));
        var evaluation = new JobEvaluation(compilation, globals, config.Workflow?["rules"] is YamlSequence);
        var drafts = evaluation.Run(jobs);
        if (drafts.Count > MaxJobs)
        {
            Diagnostics.Error("too-many-jobs", resolved.Location,
                $"the pipeline would have {drafts.Count} jobs; at most {MaxJobs} are allowed");
            return Result(null, [.. evaluation.Decisions], workflow.Decision);
        }

        var planned = new NeedsResolver(drafts, evaluation.Excluded, stages, Diagnostics).Resolve();
        if (planned.Count == 0 && jobs.Count > 0)
        {
            Diagnostics.Warning("no-jobs-match", resolved.Location,
                "no job runs in this pipeline: the rules of every job leave it out (GitLab would not create this pipeline)");
        }

        var plan = new PipelinePlan(
            stages,
            [.. planned.OrderBy(j => stages.IndexOf(j.Stage))],
            globals,
            config.Workflow?["name"].Text() is { } name ? globalScope.With(globals).Expand(name) : null,
            WorkflowEvaluator.AutoCancel(config.Workflow, workflow.AutoCancel));
        return Result(plan, [.. evaluation.Decisions], workflow.Decision);
    }

    private YamlFile? Parse()
    {
        var request = compilation.Request;
        var text = request.Source.ReadFile(request.EntryFile);
        if (text is null)
        {
            Diagnostics.Error("no-config", new SourceLocation(request.EntryFile, 0, 0),
                $"`{request.EntryFile}` does not exist in this repository");
            return null;
        }

        var file = YamlLoader.Load(request.EntryFile, text, Diagnostics, request.Limits);
        if (file is null)
        {
            return null;
        }

        var body = InputInterpolator.Apply(file, request.Inputs, new SourceLocation(request.EntryFile, 1, 1), Diagnostics, compilation.PipelineScope.Lookup);
        return body is null ? null : file with { Body = body };
    }

    private CompileResult Result(PipelinePlan? plan, ImmutableArray<JobDecision> decisions, WorkflowDecision workflow) =>
        new(Diagnostics.HasErrors ? null : plan, Dedup(Diagnostics.Sorted()), decisions, workflow);

    private static WorkflowDecision NotCreated(string reason) => new(false, reason, SourceLocation.None);

    private static List<Diagnostic> Dedup(IReadOnlyList<Diagnostic> diagnostics) => [.. diagnostics.Distinct()];

    private static ImmutableArray<PlanVariable> Override(ImmutableArray<PlanVariable> variables, ImmutableArray<PlanVariable> layer)
    {
        if (layer.IsEmpty)
        {
            return variables;
        }

        var keys = new HashSet<string>(layer.Select(v => v.Key), StringComparer.Ordinal);
        return [.. variables.Select(v => keys.Contains(v.Key) ? layer.Last(l => l.Key == v.Key) : v),
            .. layer.Where(l => !variables.Any(v => v.Key == l.Key))];
    }
}
