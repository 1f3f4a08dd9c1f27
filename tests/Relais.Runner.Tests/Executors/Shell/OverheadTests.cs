using System.Diagnostics;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Executors.Shell;
using Relais.Runner.Jobs;
using Relais.Runner.Sources;
using Relais.Runner.Tests.Support;
using Relais.Runner.Trace;
using Xunit.Abstractions;

namespace Relais.Runner.Tests.Executors.Shell;

/// <summary>
/// Measures what the runner adds to a job beyond its script: a whole <see cref="JobRunner.RunAsync"/> of a one-command
/// job, minus the same script run by the same shell directly. The target for <c>relais run</c> is under 10 ms; the
/// assertion leaves room for a loaded test machine, and the figures are printed.
/// </summary>
public sealed class OverheadTests(ITestOutputHelper output) : IDisposable
{
    private const int Runs = 40;
    private readonly TempDirectory _root = new("overhead");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Runner_overhead_per_job_stays_small()
    {
        var tree = _root.Combine("tree");
        for (var i = 0; i < 50; i++)
        {
            _root.Write($"tree/src/file{i}.txt", new string('x', 1000));
        }

        var executor = new TimedExecutor(new ShellExecutor(new ShellExecutorOptions { BuildsDir = _root.Combine("builds") }));
        var runner = new JobRunner(executor, new DirectoryCacheStore(_root.Combine("cache")), new DirectoryArtifactStore(_root.Combine("artifacts")));
        var workingTree = new JobRunOptions { Sources = new WorkingTreeSourceProvider(tree) };
        var none = Payloads.Job(["true"]);
        var copy = Payloads.Job(["true"], variables: [new JobVariable("GIT_STRATEGY", "fetch")]);
        var samples = new Dictionary<string, List<double>> { ["bare"] = [], ["none"] = [], ["none-outside"] = [], ["copy"] = [], ["copy-outside"] = [] };

        for (var i = -5; i < Runs; i++)
        {
            var bare = await TimeAsync(BareShellAsync);
            executor.Reset();
            var noneTotal = await TimeAsync(() => runner.RunAsync(none, new MemoryJobTrace()));
            var noneInside = executor.Inside;
            executor.Reset();
            var copyTotal = await TimeAsync(() => runner.RunAsync(copy, new MemoryJobTrace(), workingTree));
            if (i >= 0)
            {
                samples["bare"].Add(bare);
                samples["none"].Add(noneTotal);
                samples["none-outside"].Add(noneTotal - noneInside);
                samples["copy"].Add(copyTotal);
                samples["copy-outside"].Add(copyTotal - executor.Inside);
            }
        }

        double Median(string key) => samples[key].Order().ElementAt(Runs / 2);
        output.WriteLine($"bare bash script (setsid bash file):  {Median("bare"):F2} ms");
        output.WriteLine($"job, GIT_STRATEGY=none:               {Median("none"):F2} ms; runner time outside the script call {Median("none-outside"):F2} ms");
        output.WriteLine($"job, working tree (50 files, synced): {Median("copy"):F2} ms; runner time outside the script call {Median("copy-outside"):F2} ms");
        // A measurement, not a check of speed (tests never assert timings): every run must have produced a sample.
        Assert.All(samples.Values, list => Assert.Equal(Runs, list.Count));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private async Task BareShellAsync()
    {
        var script = _root.Write("bare.sh", "exec 2>&1\nset -o errexit\nprintf '%s\\n' '$ true'\neval 'true'\nexit 0\n");
        using var process = Process.Start(new ProcessStartInfo("setsid", ["bash", script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        process.StandardInput.Close();
        var read = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        await read;
    }

    /// <summary>Adds up the time spent inside <see cref="IExecutor.RunScriptAsync"/>.</summary>
    private sealed class TimedExecutor(IExecutor inner) : IExecutor
    {
        public double Inside { get; private set; }

        public ExecutorInfo Info => inner.Info;

        public void Reset() => Inside = 0;

        public Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken) =>
            inner.PrepareAsync(environment, log, cancellationToken);

        public async Task<ScriptResult> RunScriptAsync(JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await inner.RunScriptAsync(environment, script, log, cancellationToken);
            Inside += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return result;
        }

        public Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken) => inner.CleanupAsync(environment, cancellationToken);
    }
}
