using System.Collections.Immutable;
using Relais.Pipelines.Build;
using Relais.Pipelines.Merge;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>A visible job after <c>extends</c> and <c>default</c>: its final YAML and where its key was written.</summary>
internal sealed record JobDefinition(string Name, YamlMapping Job, SourceLocation Location);

/// <summary>
/// Merge stage for jobs (their <c>extends</c> already resolved by <see cref="ExtendsStage"/>): applies <c>default:</c>, then
/// checks each visible job's structure (keywords, types) and meaning (something to run, a known stage,
/// <c>rules</c> not mixed with <c>only</c>/<c>except</c>, <c>delayed</c> with <c>start_in</c>).
/// </summary>
internal static class JobDefinitions
{
    public static IReadOnlyList<JobDefinition> Build(CompilationState compilation, ConfigDocument config, ImmutableArray<string> stages)
    {
        var hasWorkflowRules = config.Workflow?["rules"] is YamlSequence;
        var diagnostics = compilation.Diagnostics;
        var defaults = DefaultApplier.Collect(config.Document);
        var result = new List<JobDefinition>();
        foreach (var (name, entry) in config.Jobs)
        {
            if (ConfigDocument.IsHidden(name))
            {
                continue;
            }

            var job = DefaultApplier.Apply(JobNormalizer.Normalize((YamlMapping)entry.Value), defaults);
            Support.ValidateJob(name, job, entry.KeyLocation, diagnostics);
            Check(name, job, entry.KeyLocation, stages, compilation);
            if (!hasWorkflowRules)
            {
                WarnDuplicatePipelines(name, job, compilation);
            }

            result.Add(new JobDefinition(name, job, entry.KeyLocation));
        }

        if (result.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Error("no-jobs", config.Document.Location,
                "the configuration defines no jobs: every key is a global keyword or a hidden `.template`");
        }

        return result;
    }

    /// <summary>
    /// GitLab's warning: a last rule that is only <c>when:</c> (not never), without <c>workflow:rules</c>, also
    /// matches merge request pipelines, so one push can start a branch and a merge request pipeline.
    /// </summary>
    private static void WarnDuplicatePipelines(string name, YamlMapping job, CompilationState compilation)
    {
        if (job["rules"] is YamlSequence { Items.Length: > 0 } rules
            && rules.Items[^1] is YamlMapping last && last.Count == 1 && last["when"].Text() is { } when && when != "never")
        {
            compilation.Diagnostics.Warning("duplicate-pipelines", last.Location,
                $"jobs:{name}:rules: the last rule (`when: {when}` with no condition) lets this job run in both branch and merge request pipelines; " +
                "add `workflow:rules` to choose one, or GitLab may run two pipelines for one push");
        }
    }

    private static void Check(string name, YamlMapping job, SourceLocation at, ImmutableArray<string> stages, CompilationState compilation)
    {
        var diagnostics = compilation.Diagnostics;
        var path = "jobs:" + name;
        if (job["script"].IsNullOrAbsent() && job["trigger"].IsNullOrAbsent() && job["run"].IsNullOrAbsent())
        {
            diagnostics.Error("missing-script", at, $"{path}: a job needs `script:` (or `trigger:` or `run:`) — there is nothing for it to run");
        }

        if (job["stage"].Text() is { } stage ? !stages.Contains(stage) : !stages.Contains("test"))
        {
            var given = job["stage"].Text();
            diagnostics.Error("unknown-stage", job["stage"]?.Location ?? at, given is null
                ? $"{path}:stage: the job has no `stage:`, and the default stage `test` is not one of the stages: {Stages.Describe(stages)}"
                : $"{path}:stage: `{given}` is not one of the stages: {Stages.Describe(stages)}");
        }

        var when = job["when"].Text();
        if (when == "delayed" && job["start_in"].IsNullOrAbsent() && !job.ContainsKey("rules"))
        {
            diagnostics.Error("delayed-start-in", job["when"]!.Location, $"{path}: `when: delayed` needs `start_in:` (for example `start_in: 30 minutes`)");
        }

        if (job["start_in"].Text() is { } startIn && Durations.Parse(startIn) is not { } delay)
        {
            diagnostics.Error("bad-duration", job["start_in"]!.Location, $"{path}:start_in: `{startIn}` is not a duration (such as `30 minutes` or `1 day`)");
        }
        else if (job["start_in"].Text() is not null && Durations.Parse(job["start_in"].Text()) > TimeSpan.FromDays(7))
        {
            diagnostics.Error("bad-duration", job["start_in"]!.Location, $"{path}:start_in: must be at most one week");
        }

        if (job["timeout"].Text() is { } timeout && Durations.Parse(timeout) is null)
        {
            diagnostics.Error("bad-duration", job["timeout"]!.Location, $"{path}:timeout: `{timeout}` is not a duration (such as `1h 30m`)");
        }
    }
}
