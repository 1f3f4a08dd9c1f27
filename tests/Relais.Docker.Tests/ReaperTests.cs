using Relais.Docker.Tests.Support;
using Relais.Protocol.Jobs;
using Relais.Runner.Executors;
using Relais.Runner.Executors.Docker;
using Relais.Runner.Trace;

namespace Relais.Docker.Tests;

/// <summary>What a crashed runner leaves behind is found by label and removed.</summary>
public sealed class ReaperTests
{
    [DockerFact]
    public async Task A_crashed_runners_containers_network_and_volume_are_reaped_but_running_jobs_are_not()
    {
        using var crashed = new DockerHarness();
        using var alive = new DockerHarness();
        var job = Payloads.Job(["true"]);
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "left", Command = ["sleep", "300"] }];
        var runner = "reaper-test-" + Guid.NewGuid().ToString("N")[..8]; // scoped: never touches other runners' resources
        var environment = Environment(job, runner);
        var prepared = await crashed.Executor.PrepareAsync(environment, new JobLog(new MemoryJobTrace(), new StreamingMasker([], []), TimeProvider.System, 0), CancellationToken.None);
        Assert.True(prepared.Succeeded, prepared.Error);
        var running = Payloads.Job(["true"]);
        var runningEnvironment = Environment(running, runner);
        await alive.Executor.PrepareAsync(runningEnvironment, new JobLog(new MemoryJobTrace(), new StreamingMasker([], []), TimeProvider.System, 0), CancellationToken.None);
        var left = await crashed.ResourcesOfAsync(job.Id);
        Assert.Contains(left, r => r.StartsWith("container ", StringComparison.Ordinal));
        Assert.Contains(left, r => r.StartsWith("network ", StringComparison.Ordinal));
        Assert.Contains(left, r => r.StartsWith("volume ", StringComparison.Ordinal));

        // The "crashed" executor is never asked to clean up: a new one (the restarted runner) reaps.
        var removed = await DockerReaper.RemoveLeftoversAsync(alive.Docker, runner, TimeSpan.Zero, alive.Executor.ActiveRuns, includeCaches: false, null, CancellationToken.None);

        Assert.Equal(left.Order(), removed.Order());
        Assert.Empty(await crashed.ResourcesOfAsync(job.Id));
        Assert.NotEmpty(await alive.ResourcesOfAsync(running.Id));
        await alive.Executor.CleanupAsync(runningEnvironment, CancellationToken.None);
        Assert.Empty(await alive.ResourcesOfAsync(running.Id));
    }

    [DockerFact]
    public async Task Leftovers_younger_than_the_threshold_stay()
    {
        using var crashed = new DockerHarness();
        var job = Payloads.Job(["true"]);
        var runner = "reaper-test-" + Guid.NewGuid().ToString("N")[..8];
        var environment = Environment(job, runner);
        await crashed.Executor.PrepareAsync(environment, new JobLog(new MemoryJobTrace(), new StreamingMasker([], []), TimeProvider.System, 0), CancellationToken.None);

        var removed = await DockerReaper.RemoveLeftoversAsync(crashed.Docker, runner, TimeSpan.FromHours(1), [], includeCaches: false, null, CancellationToken.None);

        Assert.Empty(removed);
        Assert.NotEmpty(await crashed.ResourcesOfAsync(job.Id));
        await crashed.Executor.CleanupAsync(environment, CancellationToken.None);
        Assert.Empty(await crashed.ResourcesOfAsync(job.Id));
    }

    private static JobEnvironment Environment(JobResponse job, string runner)
    {
        var runId = Guid.NewGuid().ToString("N");
        return new JobEnvironment
        {
            JobId = job.Id, RunId = runId, ProjectDirName = "t/0/group/app", Services = job.Services,
            Labels = new Dictionary<string, string> { ["relais.job.id"] = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["relais.runner"] = runner, ["relais.run.id"] = runId },
        };
    }
}
