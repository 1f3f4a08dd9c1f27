using System.Collections.Immutable;
using Relais.Pipelines.Build;
using Relais.Pipelines.Merge;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Compilation;

/// <summary>A visible job after <c>extends</c> and <c>default</c>: its final YAML and where its key was written.</summary>
internal sealed record JobDefinition(string Name, YamlMapping Job, SourceLocation Location);

/// <summary>
/// Merge stage for jobs: resolves <c>extends</c> across jobs and templates, applies <c>default:</c>, then
/// checks each visible job's structure (keywords, types) and meaning (something to run, a known stage,
/// <c>rules</c> not mixed with <c>only</c>/<c>except</c>, <c>delayed</c> with <c>start_in</c>).
/// </summary>
internal static class JobDefinitions
{
    public static IReadOnlyList<JobDefinition> Build(Compilation compilation, ConfigDocument config, ImmutableArray<string> stages)
    {
        var diagnostics = compilation.Diagnostics;
        var merged = ExtendsResolver.ResolveAll(config.Jobs, diagnostics);
        var defaults = DefaultApplier.Collect(config.Document);
        var result = new List<JobDefinition>();
        foreach (var (name, entry) in config.Jobs)
        {
            if (ConfigDocument.IsHidden(name))
            {
                continue;
            }

            var job = DefaultApplier.Apply(merged[name], defaults);
            Support.ValidateJob(name, job, entry.KeyLocation, diagnostics);
            Check(name, job, entry.KeyLocation, stages, compilation);
            result.Add(new JobDefinition(name, job, entry.KeyLocation));
        }

        if (result.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Error("no-jobs", config.Document.Location,
                "the configuration defines no jobs: every key is a global keyword or a hidden `.template`");
        }

        return result;
    }

    private static void Check(string name, YamlMapping job, SourceLocation at, ImmutableArray<string> stages, Compilation compilation)
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

        if (job.ContainsKey("rules") && (job.ContainsKey("only") || job.ContainsKey("except")))
        {
            diagnostics.Error("rules-with-only", job["rules"]!.Location, $"{path}: `rules` cannot be used together with `only` or `except`");
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
