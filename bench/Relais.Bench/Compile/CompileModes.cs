using System.Globalization;
using Relais.Bench.Harness;
using Relais.Pipelines;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Bench.Compile;

/// <summary>
/// The in-process benchmarks: <c>compile</c> (the whole compiler on the generated repository; target
/// median under 50 ms) and <c>parse</c> (the YAML parse stage alone: the floor under every compile).
/// </summary>
internal static class CompileModes
{
    public const double CompileTargetMs = 50;

    /// <summary>Exit code when the compiler is not written yet: nothing to measure, which is not a failure of the benchmark.</summary>
    public const int NotImplementedExit = 3;

    public static int Compile(BenchRepo repo, HarnessOptions options, string? jsonPath, TextWriter o)
    {
        if (Probe(repo, o) is { } exit)
        {
            return exit;
        }

        var m = StopwatchHarness.Run("compile " + Path.GetFileName(repo.Dir), () => PipelineCompiler.Compile(repo.Request()), options);
        return Report(o, m, jsonPath, CompileTargetMs);
    }

    public static int Parse(BenchRepo repo, HarnessOptions options, string? jsonPath, TextWriter o)
    {
        var first = new DiagnosticBag();
        if (YamlLoader.Load(".gitlab-ci.yml", repo.EntryText, first) is null || first.HasErrors)
        {
            o.WriteLine("parse: the file does not parse:");
            foreach (var d in first.Items.Take(20))
            {
                o.WriteLine("  " + d);
            }

            return 1;
        }

        var m = StopwatchHarness.Run("parse " + Path.GetFileName(repo.Dir), () => YamlLoader.Load(".gitlab-ci.yml", repo.EntryText, new DiagnosticBag()), options);
        return Report(o, m, jsonPath, target: null);
    }

    /// <summary>
    /// One compile before any timing, to check there is something worth timing: the compiler exists, the
    /// file compiles without errors and creates a pipeline. Prints what it planned. Null means go on.
    /// </summary>
    public static int? Probe(BenchRepo repo, TextWriter o)
    {
        CompileResult result;
        try
        {
            result = PipelineCompiler.Compile(repo.Request());
        }
        catch (NotImplementedException e)
        {
            o.WriteLine($"compile: the compiler is not implemented yet ({e.Message}); nothing to measure.");
            o.WriteLine("compile: `parse` mode measures the YAML stage that exists today.");
            return NotImplementedExit;
        }

        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var warnings = result.Diagnostics.Count - errors.Count;
        if (errors.Count > 0)
        {
            o.WriteLine($"compile: {errors.Count} error(s) compiling {repo.Dir}; a benchmark of a failing compile means nothing:");
            foreach (var d in errors.Take(20))
            {
                o.WriteLine("  " + d);
            }

            return 1;
        }

        if (result.Plan is null)
        {
            o.WriteLine($"compile: workflow:rules created no pipeline ({result.Workflow.Reason}); check the generated file and context.");
            return 1;
        }

        var plan = result.Plan;
        var excluded = result.Decisions.IsDefault ? 0 : result.Decisions.Count(d => !d.Included);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compile: {plan.Jobs.Length} jobs planned in {plan.Stages.Length} stages ({excluded} jobs as written excluded by rules), {warnings} warning(s); " +
            $"ref {repo.Context.Ref}, {repo.Context.ChangedFiles?.Count ?? 0} changed files"));
        return null;
    }

    private static int Report(TextWriter o, Measurement m, string? jsonPath, double? target)
    {
        StopwatchHarness.Print(o, [m]);
        o.WriteLine(StopwatchHarness.LoadNote());
        if (target is { } t)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"target: median under {t:F0} ms: {(m.MedianMs < t ? "met" : "NOT met")} ({m.MedianMs:F2} ms)"));
        }

        if (jsonPath is not null)
        {
            StopwatchHarness.WriteJson(jsonPath, new
            {
                m.Name,
                Machine = new { Environment.ProcessorCount, Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription },
                Measurement = m,
                TargetMs = target,
            });
            o.WriteLine("wrote " + jsonPath);
        }

        return 0;
    }
}
