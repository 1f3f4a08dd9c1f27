using Relais.Docker.Tests.Support;
using Relais.Protocol.Jobs;
using Relais.Runner.Executors.Docker;

namespace Relais.Docker.Tests;

/// <summary>The runner's container options reach the containers; cache volumes outlive jobs; allowed_services is enforced.</summary>
public sealed class RunnerOptionsTests
{
    [DockerFact]
    public async Task Memory_tmpfs_shm_extra_hosts_and_capabilities_reach_the_job_container()
    {
        using var harness = new DockerHarness(o => o with
        {
            Memory = 256L << 20,
            ShmSize = 32L << 20,
            Tmpfs = new Dictionary<string, string> { ["/scratch"] = "rw,size=16m" },
            ExtraHosts = ["registry.test:10.9.8.7"],
            CapDrop = ["CHOWN"],
        });
        var job = Payloads.Job(
        [
            "echo \"memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)\"", // cgroup v2, else v1
            "grep -E ' /scratch | /dev/shm ' /proc/mounts | sed -E 's/.* (\\/[a-z/]+) tmpfs .*size=([0-9]+k).*/\\1=\\2/'",
            "grep registry.test /etc/hosts",
            "if chown 1 /tmp 2>/dev/null; then echo chown-allowed; else echo chown-refused; fi",
        ]);

        var (outcome, log) = await harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.True(log.Contains("memory=268435456", StringComparison.Ordinal), log);
        Assert.Contains("/scratch=16384k", log, StringComparison.Ordinal);
        Assert.Contains("/dev/shm=32768k", log, StringComparison.Ordinal);
        Assert.Contains("10.9.8.7\tregistry.test", log, StringComparison.Ordinal);
        Assert.Contains("chown-refused", log, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task A_bare_volume_path_is_a_per_project_cache_volume_that_outlives_jobs()
    {
        using var harness = new DockerHarness(o => o with { Volumes = ["/cache"] });
        var first = Payloads.Job(["echo kept-between-jobs > /cache/marker"]);
        var second = Payloads.Job(["cat /cache/marker"]);

        var (written, writtenLog) = await harness.RunAsync(first);
        var (read, readLog) = await harness.RunAsync(second);

        Assert.True(written.Succeeded, writtenLog);
        Assert.True(read.Succeeded, readLog);
        Assert.Contains("\nkept-between-jobs\n", readLog, StringComparison.Ordinal);
        await harness.AssertNoLeftoversAsync(second);
        var removed = await DockerReaper.RemoveLeftoversAsync(harness.Docker, "local", TimeSpan.Zero, [], includeCaches: true, null, CancellationToken.None);
        Assert.Contains(removed, r => r.StartsWith("volume relais-cache-local-project-7-cache", StringComparison.Ordinal));
    }

    [DockerFact]
    public async Task A_service_outside_allowed_services_is_refused_before_anything_starts()
    {
        using var harness = new DockerHarness(o => o with { AllowedServices = ["relais-test/dind:*"] });
        var job = Payloads.Job(["true"]);
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "nope" }];

        var (outcome, log) = await harness.RunAsync(job);

        Assert.False(outcome.Succeeded);
        Assert.Contains("the service image relais-test/busybox:latest is not allowed (allowed_services: relais-test/dind:*)", log, StringComparison.Ordinal);
        await harness.AssertNoLeftoversAsync(job);
    }
}
