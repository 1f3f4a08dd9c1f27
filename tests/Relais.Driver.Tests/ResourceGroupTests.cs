using Microsoft.Extensions.Time.Testing;
using Relais.Engine;
using Relais.Protocol;
using static Relais.Driver.Tests.Plans;

namespace Relais.Driver.Tests;

/// <summary>Resource groups through the driver: the engine's <see cref="ResourceGroupMachine"/> in every process mode, across pipelines.</summary>
public class ResourceGroupTests
{
    private readonly MemoryPipelineStore _store = new();
    private readonly FakeTimeProvider _time = new(T0);

    private PipelineDriver Driver() => new(_store, _store, new PipelineHooks(), _time, (_, e) => throw e);

    private CiStatus StatusOf(long pipeline) => _store.Get(pipeline)!.Job("deploy")!.Status;

    private static async Task RunDeploy(PipelineDriver driver, long pipeline)
    {
        Assert.NotNull(await driver.ApplyAsync(pipeline, new JobStarted(T0, "deploy", 1)));
        Assert.NotNull(await driver.ApplyAsync(pipeline, JobFinished.Success(T0, "deploy", 1)));
    }

    [Fact]
    public async Task Unordered_grants_the_free_group_and_then_the_first_ready_claim()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Deploy(), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        await driver.CreateAsync(3, Deploy(), T0);

        Assert.Equal((CiStatus.Pending, CiStatus.WaitingForResource, CiStatus.WaitingForResource), (StatusOf(1), StatusOf(2), StatusOf(3)));
        Assert.Equal(new ResourceClaimant(1, "deploy", 1), _store.Group("prod")!.Holder);

        await RunDeploy(driver, 1);
        Assert.Equal((CiStatus.Pending, CiStatus.WaitingForResource), (StatusOf(2), StatusOf(3)));
        await RunDeploy(driver, 2);
        Assert.Equal(CiStatus.Pending, StatusOf(3));
        await RunDeploy(driver, 3);
        Assert.Null(_store.Group("prod")!.Holder);
        Assert.Empty(_store.Group("prod")!.Claims);
    }

    [Fact]
    public async Task Oldest_first_holds_a_newer_ready_job_back_for_an_older_upcoming_one()
    {
        await using var driver = Driver();
        await driver.ChangeResourceModeAsync(1, "prod", ResourceProcessMode.OldestFirst);
        await driver.CreateAsync(1, Deploy(afterBuild: true), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        Assert.Equal(CiStatus.WaitingForResource, StatusOf(2));

        await driver.ApplyAsync(1, new JobStarted(T0, "build", 1));
        await driver.ApplyAsync(1, JobFinished.Success(T0, "build", 1));
        Assert.Equal((CiStatus.Pending, CiStatus.WaitingForResource), (StatusOf(1), StatusOf(2)));

        await RunDeploy(driver, 1);
        Assert.Equal(CiStatus.Pending, StatusOf(2));
    }

    [Fact]
    public async Task Newest_first_holds_an_older_ready_job_back_for_a_newer_upcoming_one()
    {
        await using var driver = Driver();
        await driver.ChangeResourceModeAsync(2, "prod", ResourceProcessMode.NewestFirst);
        await driver.CreateAsync(2, Deploy(afterBuild: true), T0);
        await driver.CreateAsync(1, Deploy(), T0);
        Assert.Equal(CiStatus.WaitingForResource, StatusOf(1));

        await driver.ApplyAsync(2, new JobStarted(T0, "build", 1));
        await driver.ApplyAsync(2, JobFinished.Success(T0, "build", 1));
        Assert.Equal((CiStatus.Pending, CiStatus.WaitingForResource), (StatusOf(2), StatusOf(1)));

        await RunDeploy(driver, 2);
        Assert.Equal(CiStatus.Pending, StatusOf(1));
    }

    [Fact]
    public async Task Newest_ready_first_grants_the_newest_waiting_pipeline_next()
    {
        await using var driver = Driver();
        await driver.ChangeResourceModeAsync(1, "prod", ResourceProcessMode.NewestReadyFirst);
        await driver.CreateAsync(1, Deploy(), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        await driver.CreateAsync(3, Deploy(), T0);

        await RunDeploy(driver, 1);
        Assert.Equal((CiStatus.WaitingForResource, CiStatus.Pending), (StatusOf(2), StatusOf(3)));
        await RunDeploy(driver, 3);
        Assert.Equal(CiStatus.Pending, StatusOf(2));
    }

    [Fact]
    public async Task Changing_the_mode_grants_what_the_new_mode_allows()
    {
        await using var driver = Driver();
        await driver.ChangeResourceModeAsync(1, "prod", ResourceProcessMode.OldestFirst);
        await driver.CreateAsync(1, Deploy(afterBuild: true), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        Assert.Equal(CiStatus.WaitingForResource, StatusOf(2));

        await driver.ChangeResourceModeAsync(1, "prod", ResourceProcessMode.Unordered);

        Assert.Equal(CiStatus.Pending, StatusOf(2));
    }

    [Fact]
    public async Task A_canceled_waiting_job_leaves_the_queue_and_a_holder_released_by_repair_hands_over()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Deploy(), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        await driver.CreateAsync(3, Deploy(), T0);

        await driver.ApplyAsync(2, new PipelineCancelRequested(T0));
        Assert.DoesNotContain(_store.Group("prod")!.Claims, c => c.Claimant.PipelineId == 2);

        // What the server's sweeper does when the holder's job is over but the release never happened.
        await driver.ReleaseResourceAsync(1, "prod", "deploy", 1);
        Assert.Equal(CiStatus.Pending, StatusOf(3));
        Assert.Equal(new ResourceClaimant(3, "deploy", 1), _store.Group("prod")!.Holder);
    }

    [Fact]
    public async Task A_grant_the_job_cannot_use_is_handed_back_to_the_next_claim()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Deploy(), T0);
        await driver.CreateAsync(2, Deploy(), T0);
        await driver.CreateAsync(3, Deploy(), T0);

        // A stale grant (a crash repair granting again) to a pipeline whose job no longer waits.
        await driver.ApplyAsync(1, new ResourceGranted(T0, "deploy", 1));
        Assert.Equal(new ResourceClaimant(2, "deploy", 1), _store.Group("prod")!.Holder);
        Assert.Equal(CiStatus.Pending, StatusOf(2));
    }
}
