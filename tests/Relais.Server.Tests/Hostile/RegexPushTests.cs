using System.Diagnostics;
using System.Text;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Issue #12, item 4, end to end: a real <c>git push</c> of the catastrophic pipeline (50 jobs × <c>parallel: 200</c>,
/// each with <c>rules: - if: '$X =~ /(a+)+$/'</c> that never holds) creates its pipeline at once.
/// </summary>
public sealed class RegexPushTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Pushing_fifty_jobs_times_parallel_200_with_a_catastrophic_rules_regex_creates_the_pipeline_in_seconds()
    {
        var yaml = new StringBuilder($"variables:\n  X: \"{new string('a', 30)}!\"\nkeep:\n  script: [echo kept]\n");
        for (var job = 0; job < 50; job++)
        {
            yaml.Append($"job{job}:\n  script: x\n  parallel: 200\n  rules:\n    - if: '$X =~ /(a+)+$/'\n");
        }

        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", yaml.ToString());
        git.Commit("catastrophic");

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git", "main");
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        output.WriteLine($"push of 50 jobs x parallel: 200 with rules:if /(a+)+$/: {clock.ElapsedMilliseconds} ms wall, {cpu.TotalMilliseconds:F0} ms server CPU (test process)");

        var jobs = await server.Host.Stores.Pipelines.CurrentJobsAsync(1);
        Assert.Equal(["keep"], jobs.Select(j => j.Name));
        Assert.True(cpu < TimeSpan.FromSeconds(2), $"the push cost {cpu} of CPU");
    }

    [Fact]
    public void An_artifact_expire_in_of_a_long_digit_run_is_read_in_linear_time()
    {
        var now = DateTimeOffset.UnixEpoch;
        var clock = Stopwatch.StartNew();
        Assert.Null(Relais.Server.Artifacts.ExpireIn.Parse(new string('9', 20_000) + "!", now));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"took {clock.Elapsed} (a backtracking scan is quadratic here: seconds)");
        Assert.Equal(now.AddDays(3).AddHours(4), Relais.Server.Artifacts.ExpireIn.Parse("3 days 4 hrs", now));
    }
}
