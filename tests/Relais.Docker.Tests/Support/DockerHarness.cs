using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Docker;
using Relais.Runner.Executors.Docker;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

namespace Relais.Docker.Tests.Support;

/// <summary>A docker executor with its own staging directory and stores, a job runner, and label checks for leftovers.</summary>
public sealed class DockerHarness : IDisposable
{
    public DockerHarness(Func<DockerExecutorSettings, DockerExecutorSettings>? configure = null)
    {
        Root = new TempDirectory("docker");
        var options = new DockerExecutorSettings { BuildsDir = Root.Combine("builds"), DefaultImage = DockerTest.Busybox, KillGracePeriod = TimeSpan.FromSeconds(2), WaitForServicesTimeout = TimeSpan.FromSeconds(20) };
        Executor = new DockerExecutor(configure is null ? options : configure(options));
        Runner = new JobRunner(Executor, new DirectoryCacheStore(Root.Combine("cache")), new DirectoryArtifactStore(Root.Combine("artifacts")));
    }

    public TempDirectory Root { get; }

    public DockerExecutor Executor { get; }

    public JobRunner Runner { get; }

    public DockerClient Docker => Executor.Docker;

    public async Task<(JobOutcome Outcome, string Log)> RunAsync(JobResponse job, int slot = 0, CancellationToken cancel = default)
    {
        var trace = new MemoryJobTrace();
        var outcome = await Runner.RunAsync(job, trace, new JobRunOptions { ConcurrentId = slot }, cancel);
        return (outcome, trace.Text);
    }

    /// <summary>Everything (containers, networks, volumes) labelled with the job's id, and volumes named after it without the label.</summary>
    public async Task<IReadOnlyList<string>> ResourcesOfAsync(long jobId)
    {
        KeyValuePair<string, string>[] labels = [KeyValuePair.Create("relais.job.id", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var containers = await Docker.ListContainersAsync(labels, CancellationToken.None);
        var networks = await Docker.ListNetworksAsync(labels, CancellationToken.None);
        var volumes = await Docker.ListVolumesAsync(labels, CancellationToken.None);
        var named = (await Docker.ListVolumesAsync([], CancellationToken.None)).Where(v => v.Name.StartsWith($"relais-{jobId}-", StringComparison.Ordinal) && !volumes.Any(x => x.Name == v.Name));
        return [.. containers.Select(c => "container " + c.Name), .. networks.Select(n => "network " + n.Name), .. volumes.Select(v => "volume " + v.Name), .. named.Select(v => "unlabelled volume " + v.Name)];
    }

    /// <summary>Asserts that nothing labelled with the job's id is left on the engine.</summary>
    public async Task AssertNoLeftoversAsync(JobResponse job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Assert.Empty(await ResourcesOfAsync(job.Id));
    }

    /// <summary>Waits for <paramref name="text"/> in a running job's log.</summary>
    public static async Task WaitForAsync(MemoryJobTrace trace, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!trace.Text.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for '{text}' in:\n{trace.Text}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        Executor.Dispose();
        Root.Dispose();
    }
}
