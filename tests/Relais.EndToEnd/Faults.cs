using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Relais.EndToEnd;

/// <summary>What the fault tests run and check: jobs that print numbered lines slowly, and the checks that every job ran
/// exactly once with its whole log.</summary>
internal static partial class Faults
{
    /// <summary>A pipeline of <paramref name="build"/> slow jobs (<paramref name="lines"/> lines, 0.1 s apart) and <paramref name="test"/> quick ones after them.</summary>
    public static string Pipeline(int build, int test, int lines)
    {
        var yaml = new StringBuilder("stages: [build, test]\n");
        for (var i = 1; i <= build + test; i++)
        {
            var (name, stage, count, pause) = i <= build ? ($"b{i}", "build", lines, "0.1") : ($"t{i - build}", "test", 10, "0");
            yaml.Append(CultureInfo.InvariantCulture, $"{name}:\n  stage: {stage}\n  retry: {{max: 2, when: [runner_system_failure]}}\n")
                .Append(CultureInfo.InvariantCulture, $"  script:\n    - 'for i in $(seq 1 {count}); do echo \"{name}-line-$i\"; sleep {pause}; done'\n");
        }

        return yaml.ToString();
    }

    /// <summary>The numbers of the <c>NAME-line-N</c> lines in a trace, in order.</summary>
    public static List<int> Lines(string trace, string name) =>
        [.. Regex.Matches(trace, Regex.Escape(name) + @"-line-(\d+)").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>
    /// Every job of the pipeline ran exactly once with its whole log: for each name, exactly one attempt has output
    /// (attempts the runner never received, failed by the watchdog, have none), and it is every line once, in order.
    /// </summary>
    public static async Task AssertEachJobRanOnceWithWholeLogAsync(HttpClient http, long pipeline, int build, int test, int lines, Func<string> outputs)
    {
        var jobs = await Cluster.JobsAsync(http, pipeline);
        var names = Enumerable.Range(1, build).Select(i => ($"b{i}", lines)).Concat(Enumerable.Range(1, test).Select(i => ($"t{i}", 10)));
        foreach (var (name, count) in names)
        {
            var attempts = jobs.Where(j => j.GetProperty("name").GetString() == name).ToList();
            var withOutput = new List<List<int>>();
            foreach (var attempt in attempts)
            {
                var numbers = Lines(await Cluster.TraceAsync(http, attempt.GetProperty("id").GetInt64()), name);
                if (numbers.Count > 0)
                {
                    withOutput.Add(numbers);
                }
            }

            Assert.True(withOutput.Count == 1, $"{name} ran {withOutput.Count} times ({Describe(attempts)})\n{outputs()}");
            Assert.True(withOutput[0].SequenceEqual(Enumerable.Range(1, count)), $"{name}'s log is not whole: {string.Join(",", withOutput[0])}\n{outputs()}");
            Assert.Equal("success", attempts[^1].GetProperty("status").GetString());
        }
    }

    /// <summary>The logs of the pipeline's failed jobs, for a failure message: why they failed is in there.</summary>
    public static async Task<string> FailedLogsAsync(HttpClient http, long pipeline)
    {
        var text = new StringBuilder();
        foreach (var job in (await Cluster.JobsAsync(http, pipeline)).Where(j => j.GetProperty("status").GetString() == "failed"))
        {
            var id = job.GetProperty("id").GetInt64();
            text.Append(CultureInfo.InvariantCulture, $"--- log of failed job {id} ({job.GetProperty("name")}, {job.GetProperty("failure_reason")}):\n")
                .Append(await Cluster.TraceAsync(http, id)).Append('\n');
        }

        return text.ToString();
    }

    private static string Describe(List<JsonElement> attempts) =>
        string.Join("; ", attempts.Select(a => $"{a.GetProperty("id")}: {a.GetProperty("status")} {a.GetProperty("failure_reason")}"));
}
