using System.Diagnostics;
using System.Text;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;

namespace Relais.Bench.Compile;

/// <summary>
/// <c>regex</c>: the catastrophic push of issue #12 — N jobs × <c>parallel: P</c>, each with
/// <c>rules: - if: '$X =~ /(a+)+$/'</c> and <c>X</c> thirty <c>a</c>s and a <c>!</c> — compiled in-process.
/// Prints the wall time and the process CPU time per compile (target: under 2 s of CPU for 50 × 200).
/// </summary>
internal static class CatastrophicRegexMode
{
    public static int Run(int jobs, int parallel, int iterations, TextWriter o)
    {
        var yaml = new StringBuilder($"variables:\n  X: \"{new string('a', 30)}!\"\n");
        for (var job = 0; job < jobs; job++)
        {
            yaml.Append($"job{job}:\n  script: x\n  parallel: {parallel}\n  rules:\n    - if: '$X =~ /(a+)+$/'\n      when: never\n    - when: on_success\n");
        }

        var source = new InMemoryConfigSource(new Dictionary<string, string> { [".gitlab-ci.yml"] = yaml.ToString() });
        var context = new PipelineContext { Ref = "main", Source = PipelineSource.Push, DefaultBranch = "main" };
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < iterations; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = PipelineCompiler.Compile(new CompileRequest(source, context));
            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            o.WriteLine($"regex {jobs} jobs x parallel {parallel}: {result.Plan?.Jobs.Length ?? 0} jobs planned, "
                + $"{clock.Elapsed.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU{(i == 0 ? " (first, cold)" : "")}");
            if (result.HasErrors)
            {
                o.WriteLine(string.Join("\n", result.Diagnostics.Take(5)));
                return 1;
            }
        }

        return 0;
    }
}
