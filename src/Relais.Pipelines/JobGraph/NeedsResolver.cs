using System.Collections.Immutable;
using Relais.Pipelines.Build;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Expand;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.JobGraph;

/// <summary>
/// Validate stage for the job graph: resolves <c>needs</c> and <c>dependencies</c> to expanded job names
/// (a parallel job means all its instances, or the <c>parallel:matrix</c> ones selected), drops optional
/// needs whose job is absent, and reports missing jobs, needs on later stages, dependencies outside
/// <c>needs</c>, and cycles.
/// </summary>
internal sealed class NeedsResolver(
    IReadOnlyList<JobDraft> drafts,
    IReadOnlyDictionary<string, string> excluded,
    ImmutableArray<string> stages,
    DiagnosticBag diagnostics)
{
    public const int MaxNeeds = 50;

    /// <summary>GitLab's limit on the name a need records (its <c>ci_build_needs</c> rows).</summary>
    public const int MaxNeedNameLength = 255;

    private readonly ILookup<string, JobPlan> _byBase = drafts.Select(d => d.Plan).ToLookup(p => p.BaseName, StringComparer.Ordinal);

    public IReadOnlyList<JobPlan> Resolve()
    {
        var jobs = drafts.Select(d =>
        {
            var withNeeds = d.Plan with { Needs = d.Needs is null ? null : Needs(d), PipelineNeeds = PipelineNeeds(d.Needs), ProjectNeeds = ProjectNeeds(d.Needs) };
            return withNeeds with
            {
                Dependencies = d.Dependencies is YamlSequence or YamlScalar { IsNull: false } ? Dependencies(withNeeds, d.Dependencies) : null,
            };
        }).ToList();
        new NeedsCycleCheck(jobs, diagnostics).Run();
        return jobs;
    }

    /// <summary>The <c>needs:pipeline:job</c> entries (another pipeline's jobs: not part of this pipeline's graph).</summary>
    private static ImmutableArray<PipelineNeedPlan> PipelineNeeds(YamlNode? needs) =>
        needs is YamlSequence seq
            ? [.. seq.Items.OfType<YamlMapping>()
                .Where(m => !m.ContainsKey("project") && m["pipeline"].Text() is not null && m["job"].Text() is not null)
                .Select(m => new PipelineNeedPlan(m["pipeline"].Text()!, m["job"].Text()!, m["artifacts"].Bool() ?? true))]
            : [];

    /// <summary>The <c>needs:project</c> entries (another project's job on a ref: not part of this pipeline's graph).</summary>
    private static ImmutableArray<ProjectNeedPlan> ProjectNeeds(YamlNode? needs) =>
        needs is YamlSequence seq
            ? [.. seq.Items.OfType<YamlMapping>()
                .Where(m => m["project"].Text() is not null && m["job"].Text() is not null && m["ref"].Text() is not null)
                .Select(m => new ProjectNeedPlan(m["project"].Text()!, m["job"].Text()!, m["ref"].Text()!, m["artifacts"].Bool() ?? true))]
            : [];

    private ImmutableArray<NeedPlan> Needs(JobDraft draft)
    {
        var job = draft.Plan;
        var items = draft.Needs is YamlSequence seq ? seq.Items : [draft.Needs!];
        var result = ImmutableArray.CreateBuilder<NeedPlan>();
        foreach (var item in items)
        {
            var map = item as YamlMapping;
            if (map is not null && (map.ContainsKey("pipeline") || map.ContainsKey("project")))
            {
                continue;
            }

            var target = map is null ? item.Text() : map["job"].Text();
            if (target is null)
            {
                continue;
            }

            var optional = map?["optional"].Bool() ?? false;
            var artifacts = map?["artifacts"].Bool() ?? true;
            var selector = Selector(job, map, item.Location);
            var matched = Targets(target, selector);
            if (matched.Count == 0)
            {
                if (!optional)
                {
                    diagnostics.Error("needs-missing", item.Location, $"jobs:{job.BaseName}:needs: {Missing(target, selector)}");
                }

                continue;
            }

            foreach (var needed in matched)
            {
                // A name `parallel` made is not checked where jobs are written; GitLab checks it again when it is needed.
                if (needed.Name.Length > MaxNeedNameLength)
                {
                    diagnostics.Error("needs-name-too-long", item.Location,
                        $"jobs:{job.BaseName}:needs: need `{needed.Name}` name is too long (maximum is {MaxNeedNameLength} characters)");
                }

                if (IsLater(needed, job))
                {
                    diagnostics.Error("needs-later-stage", item.Location,
                        $"jobs:{job.BaseName}:needs: `{needed.Name}` is in stage `{needed.Stage}`, which comes after this job's stage `{job.Stage}`");
                }

                result.Add(new NeedPlan(needed.Name, artifacts, optional));
            }
        }

        if (result.Count > MaxNeeds)
        {
            diagnostics.Error("needs-too-many", draft.NeedsLocation, $"jobs:{job.BaseName}:needs: {result.Count} needs; at most {MaxNeeds} are allowed");
        }

        return result.ToImmutable();
    }

    private ImmutableArray<string> Dependencies(JobPlan job, YamlNode node)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var name in node.Strings(0))
        {
            var matched = Targets(name, null);
            if (matched.Count == 0)
            {
                // GitLab checks only that a dependency is defined: one its rules left out has nothing to download.
                if (!excluded.ContainsKey(name))
                {
                    diagnostics.Error("dependencies-missing", node.Location, $"jobs:{job.BaseName}:dependencies: `{name}` is not defined");
                }

                continue;
            }

            foreach (var dependency in matched)
            {
                // As GitLab, compared only when `needs` names jobs: `needs: []` with `dependencies` is valid.
                if (job.Needs is { IsEmpty: false } needs && !needs.Any(n => n.Job == dependency.Name))
                {
                    diagnostics.Error("dependencies-not-needed", node.Location,
                        $"jobs:{job.BaseName}:dependencies: `{dependency.Name}` must also be listed in `needs`");
                }
                else if (job.Needs is null && stages.IndexOf(dependency.Stage) > stages.IndexOf(job.Stage))
                {
                    diagnostics.Error("dependencies-stage", node.Location,
                        $"jobs:{job.BaseName}:dependencies: `{dependency.Name}` is in stage `{dependency.Stage}`, which comes after this job's stage `{job.Stage}`");
                }

                result.Add(dependency.Name);
            }
        }

        return result.ToImmutable();
    }

    private List<JobPlan> Targets(string name, YamlSequence? matrix)
    {
        var byBase = _byBase[name].ToList();
        if (byBase.Count == 0)
        {
            return [.. drafts.Select(d => d.Plan).Where(p => p.Name == name)];
        }

        if (matrix is null)
        {
            return byBase;
        }

        var wanted = ParallelExpander.Combinations(matrix)
            .Select(vars => vars.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal))
            .ToList();
        return [.. byBase.Where(p => p.Parallel is { Matrix: var m } && !m.IsEmpty
            && wanted.Any(w => w.Count == m.Length && m.All(v => w.TryGetValue(v.Key, out var value) && value == v.Value)))];
    }

    /// <summary>The need's <c>parallel:matrix</c> selector, with the needing job's matrix values put in for <c>$[[ matrix.NAME ]]</c>.</summary>
    private YamlSequence? Selector(JobPlan job, YamlMapping? need, SourceLocation at)
    {
        if (need?["parallel"].Map()?["matrix"] is not YamlSequence matrix)
        {
            return null;
        }

        var errors = new List<string>();
        var selector = MatrixExpressions.Interpolate(matrix, job.Parallel?.Matrix ?? [], errors);
        foreach (var error in errors.Distinct(StringComparer.Ordinal))
        {
            diagnostics.Error("needs-matrix", at, $"jobs:{job.BaseName}:needs:parallel:matrix: {error}");
        }

        return selector;
    }

    private string Missing(string name, YamlSequence? selector)
    {
        if (excluded.TryGetValue(name, out var why))
        {
            return $"`{name}` is not in this pipeline ({why}); mark the need `optional: true` if that is expected";
        }

        var instances = _byBase[name].Select(p => p.Name).ToList();
        if (selector is null || instances.Count == 0)
        {
            return $"`{name}` is not defined";
        }

        var wanted = string.Join("; ", ParallelExpander.Combinations(selector).Select(c => string.Join(", ", c.Select(v => v.Key + "=" + v.Value))));
        return $"no job of `{name}` matches parallel:matrix {wanted}; its jobs are: {string.Join(", ", instances)}";
    }

    private bool IsLater(JobPlan needed, JobPlan job) => stages.IndexOf(needed.Stage) > stages.IndexOf(job.Stage);
}
