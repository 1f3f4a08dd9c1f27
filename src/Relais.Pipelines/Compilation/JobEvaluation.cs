using System.Collections.Immutable;
using Relais.Pipelines.Build;
using Relais.Pipelines.Context;
using Relais.Pipelines.Evaluate;
using Relais.Pipelines.Expand;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>
/// Evaluate and Expand stages for jobs: decides each job with <c>rules</c> or <c>only</c>/<c>except</c>
/// (recording why, for <c>--explain</c>), then expands the included ones with <c>parallel</c> and builds
/// their plans with their variables in GitLab's precedence.
/// </summary>
internal sealed class JobEvaluation(CompilationState compilation, ImmutableArray<PlanVariable> globals, bool hasWorkflowRules)
{
    private readonly RuleClauses _clauses = new(compilation);

    public List<JobDecision> Decisions { get; } = [];

    /// <summary>Jobs left out by their rules, with the reason (for "needs a job that is not in this pipeline").</summary>
    public Dictionary<string, string> Excluded { get; } = new(StringComparer.Ordinal);

    public List<JobDraft> Run(IReadOnlyList<JobDefinition> jobs)
    {
        var drafts = new List<JobDraft>(jobs.Count);
        foreach (var definition in jobs)
        {
            var job = definition.Job;
            if (ParallelExpander.Count(job["parallel"]) > ParallelExpander.MaxJobs)
            {
                compilation.Diagnostics.Error("parallel-too-many", job["parallel"]!.Location,
                    $"jobs:{definition.Name}:parallel: makes {ParallelExpander.Count(job["parallel"])} jobs; at most {ParallelExpander.MaxJobs} are allowed");
                continue;
            }

            var inherited = InheritedGlobals(job);
            var own = JobParts.Variables(job["variables"]);
            var jobScope = GlobalScope(inherited).With(own);
            var instances = ParallelExpander.Expand(definition.Name, job["parallel"]);
            Inclusion? first = null;
            var included = 0;
            foreach (var instance in instances)
            {
                // Rules are evaluated per job GitLab creates: each parallel instance sees its own name and matrix values.
                var matrix = instance.Parallel?.Matrix ?? [];
                var scope = jobScope.With(matrix).With(JobPredefined(instance, job)).With(compilation.ContextVariables);
                var inclusion = Decide(definition, scope);
                first ??= inclusion;
                if (!inclusion.Included)
                {
                    continue;
                }

                included++;
                var variables = Merge(inherited, own, matrix, JobParts.Variables(inclusion.Variables));
                drafts.Add(JobBuilder.Build(definition.Name, job, definition.Location, inclusion, variables, instance));
            }

            Record(definition, first!, included, instances.Count);
        }

        return drafts;
    }

    private void Record(JobDefinition definition, Inclusion first, int included, int instances)
    {
        var reason = instances > 1 && included > 0 && included < instances
            ? $"{included} of its {instances} parallel jobs run; the first: {first.Reason}"
            : first.Reason;
        Decisions.Add(new JobDecision(definition.Name, included > 0, reason, first.Steps, first.Location));
        if (included == 0)
        {
            Excluded[definition.Name] = "excluded: " + first.Reason;
        }
    }

    /// <summary>The job-level predefined variables GitLab lets <c>rules</c> see: name, stage, node total.</summary>
    private static PlanVariable[] JobPredefined(ParallelInstance instance, YamlMapping job) =>
    [
        new("CI_JOB_NAME", instance.Name),
        new("CI_JOB_NAME_SLUG", PredefinedVariables.Slug(instance.Name, 63)),
        new("CI_JOB_STAGE", job["stage"].Text() ?? "test"),
        new("CI_NODE_TOTAL", (instance.Parallel?.Total ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private Inclusion Decide(JobDefinition definition, VariableScope scope)
    {
        var job = definition.Job;
        if (job["rules"] is YamlSequence rules)
        {
            return new JobRules(_clauses, compilation.Request.Explain).Evaluate(definition.Name, rules, job, scope);
        }

        var only = job["only"];
        var except = job["except"];
        var defaultOnly = only is null && except is null && !hasWorkflowRules;
        if (only is null && except is null && !defaultOnly)
        {
            return new Inclusion(true, "no rules, only or except (and workflow:rules exist, so GitLab's default `only` does not apply)", [], definition.Location)
            {
                When = job["when"].Text(),
            };
        }

        return new OnlyExcept(compilation, _clauses).Evaluate(definition.Name, only, except, defaultOnly, scope, definition.Location) with
        {
            When = job["when"].Text(),
        };
    }

    private VariableScope? _allGlobals;

    /// <summary>Predefined plus inherited top-level variables; shared by every job that inherits them all.</summary>
    private VariableScope GlobalScope(ImmutableArray<PlanVariable> inherited) =>
        inherited == globals ? _allGlobals ??= compilation.Predefined.With(globals) : compilation.Predefined.With(inherited);

    /// <summary>Top-level variables, filtered by <c>inherit:variables</c> (true, false, or a list of names).</summary>
    private ImmutableArray<PlanVariable> InheritedGlobals(YamlMapping job)
    {
        var inherit = job["inherit"].Map()?["variables"];
        if (inherit.Bool() == false)
        {
            return [];
        }

        if (inherit is YamlSequence)
        {
            var names = new HashSet<string>(inherit.Strings(), StringComparer.Ordinal);
            return [.. globals.Where(v => names.Contains(v.Key))];
        }

        return globals;
    }

    /// <summary>Later layers win; a variable keeps the position where it first appeared.</summary>
    private static ImmutableArray<PlanVariable> Merge(params ImmutableArray<PlanVariable>[] layers)
    {
        if (layers.Count(l => !l.IsEmpty) <= 1)
        {
            return layers.FirstOrDefault(l => !l.IsEmpty, []);
        }

        var order = new List<string>();
        var values = new Dictionary<string, PlanVariable>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var v in layer)
            {
                if (!values.ContainsKey(v.Key))
                {
                    order.Add(v.Key);
                }

                values[v.Key] = v;
            }
        }

        return [.. order.Select(k => values[k])];
    }
}
