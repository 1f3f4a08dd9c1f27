using System.Diagnostics;
using Xunit.Abstractions;

namespace Relais.EndToEnd;

/// <summary>
/// Processes killed and stopped under a running pipeline, with real `relais serve` and `relais runner` processes: a
/// coordinator SIGKILLed and restarted on the same data; a runner SIGKILLed mid-job (the watchdog fails the job,
/// <c>retry:</c> gives it to another runner); SIGTERM to a runner (its job finishes, no new one is taken) and to the
/// coordinator (it exits cleanly).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private readonly Cluster _cluster = new();

    [Fact]
    public async Task A_coordinator_killed_and_restarted_finishes_the_pipeline_with_whole_logs_and_nothing_run_twice()
    {
        const int Build = 4, Test = 2, Lines = 40;
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var server = await _cluster.StartServerAsync(port, "--job-heartbeat-timeout", "15");
        using var http = _cluster.Client(url);
        _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "r1", concurrent: 4);
        _cluster.Push(Faults.Pipeline(Build, Test, Lines), port);
        var pipeline = (await Cluster.PipelineAsync(http))!.Value.GetProperty("id").GetInt64();
        await _cluster.WaitForAsync(async () => await ScriptsRunningAsync(http, pipeline) >= 2, TimeSpan.FromSeconds(60), "two jobs in their script");

        server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(4)); // the runner keeps executing (and finishing) jobs; its patches and updates fail meanwhile
        var restart = Stopwatch.StartNew();
        await _cluster.StartServerAsync(port, "--job-heartbeat-timeout", "15");
        var listening = restart.Elapsed;
        await _cluster.WaitForAsync(async () => (await Cluster.PipelineAsync(http))!.Value.GetProperty("status").GetString() is "success" or "failed",
            TimeSpan.FromSeconds(120), "the pipeline to finish after the restart");
        output.WriteLine($"restart: listening after {listening.TotalSeconds:0.0} s, pipeline finished {restart.Elapsed.TotalSeconds:0.0} s after the restart began");

        Assert.True((await Cluster.PipelineAsync(http))!.Value.GetProperty("status").GetString() == "success", _cluster.Outputs() + await Faults.FailedLogsAsync(http, pipeline));
        await Faults.AssertEachJobRanOnceWithWholeLogAsync(http, pipeline, Build, Test, Lines, _cluster.Outputs);
    }

    [Fact]
    public async Task A_runner_killed_mid_job_is_noticed_and_the_retry_runs_on_another_runner()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        await _cluster.StartServerAsync(port, "--job-heartbeat-timeout", "3");
        using var http = _cluster.Client(url);
        var doomed = _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "doomed", concurrent: 1);
        _cluster.Push(Faults.Pipeline(1, 0, 60), port);
        var pipeline = (await Cluster.PipelineAsync(http))!.Value.GetProperty("id").GetInt64();
        await _cluster.WaitForAsync(async () => (await Cluster.TraceAsync(http, (await Cluster.JobsAsync(http, pipeline))[0].GetProperty("id").GetInt64())).Contains("b1-line-3", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the job to run on the first runner");

        doomed.Kill();
        var killed = Stopwatch.StartNew();
        _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "survivor", concurrent: 1);
        await _cluster.WaitForAsync(async () => (await Cluster.JobsAsync(http, pipeline)).Count == 2, TimeSpan.FromSeconds(60), "the lost job to be failed");
        output.WriteLine($"dead runner noticed {killed.Elapsed.TotalSeconds:0.0} s after the kill (--job-heartbeat-timeout 3)");
        await _cluster.WaitForAsync(async () => (await Cluster.PipelineAsync(http))!.Value.GetProperty("status").GetString() is "success" or "failed",
            TimeSpan.FromSeconds(90), "the retry to finish");

        var jobs = await Cluster.JobsAsync(http, pipeline);
        Assert.Equal(("failed", "runner_system_failure"), (jobs[0].GetProperty("status").GetString(), jobs[0].GetProperty("failure_reason").GetString()));
        Assert.Equal("success", jobs[1].GetProperty("status").GetString());
        var retryTrace = await Cluster.TraceAsync(http, jobs[1].GetProperty("id").GetInt64());
        Assert.Equal(Enumerable.Range(1, 60), Faults.Lines(retryTrace, "b1"));
        Assert.Contains("survivor", retryTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_lets_a_runner_finish_its_job_without_taking_another_and_stops_the_coordinator()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var server = await _cluster.StartServerAsync(port);
        using var http = _cluster.Client(url);
        var runner = _cluster.StartRunner(url, await Cluster.RegisterRunnerAsync(http), "r1", concurrent: 1);
        _cluster.Push(Faults.Pipeline(1, 1, 30), port);
        var pipeline = (await Cluster.PipelineAsync(http))!.Value.GetProperty("id").GetInt64();
        await _cluster.WaitForAsync(async () => (await Cluster.TraceAsync(http, (await Cluster.JobsAsync(http, pipeline))[0].GetProperty("id").GetInt64())).Contains("b1-line-2", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the job to run");

        runner.Terminate();
        Assert.True(await runner.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the runner did not stop\n" + _cluster.Outputs());
        Assert.Equal(0, runner.ExitCode);
        var jobs = await Cluster.JobsAsync(http, pipeline);
        Assert.Equal(["success", "pending"], jobs.Select(j => j.GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(1, 30), Faults.Lines(await Cluster.TraceAsync(http, jobs[0].GetProperty("id").GetInt64()), "b1"));

        server.Terminate();
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the coordinator did not stop\n" + _cluster.Outputs());
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("relais serve: stopped", server.Output, StringComparison.Ordinal);
    }

    /// <summary>How many jobs have started printing their lines (past fetching the sources, which needs the coordinator).</summary>
    internal static async Task<int> ScriptsRunningAsync(HttpClient http, long pipeline)
    {
        var count = 0;
        foreach (var job in await Cluster.JobsAsync(http, pipeline))
        {
            var name = job.GetProperty("name").GetString()!;
            if (job.GetProperty("status").GetString() == "running" && Faults.Lines(await Cluster.TraceAsync(http, job.GetProperty("id").GetInt64()), name).Count > 0)
            {
                count++;
            }
        }

        return count;
    }

    public void Dispose() => _cluster.Dispose();
}
