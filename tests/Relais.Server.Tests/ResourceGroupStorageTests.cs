using Dapper;
using Relais.Driver;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;
using Relais.Server.Storage.Json;

namespace Relais.Server.Tests;

/// <summary>
/// Resource groups in the database, run by the driver's <see cref="ResourceGroupMachine"/>: two stores (two
/// coordinators) on one database share a group's holder and claims; a group stored by an older version (holder
/// columns and <c>resource_group_waiting</c> rows, no state) is taken over as it was.
/// </summary>
public sealed class ResourceGroupStorageTests : IAsyncLifetime
{
    private const string Deploy = "deploy: {script: [echo], resource_group: production}";
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private TempSqliteDatabase _temp = null!;

    private SqliteDatabase Db => _temp.Database;

    public async Task InitializeAsync() => _temp = await TempSqliteDatabase.CreateAsync("relais-groups-");

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static PipelineDriver DriverOn(SqlPipelineStore store) =>
        new(store, store, new PipelineHooks(), TimeProvider.System, (_, e) => throw e);

    [Fact]
    public async Task Two_coordinators_on_one_database_share_the_group()
    {
        var (a, b) = (new SqlPipelineStore(Db), new SqlPipelineStore(Db));
        await using var first = DriverOn(a);
        await using var second = DriverOn(b);
        var one = await CreateAsync(a, first);
        var two = await CreateAsync(b, second);

        Assert.Equal(((CiStatus?)CiStatus.Pending, (CiStatus?)CiStatus.WaitingForResource), (await StatusAsync(a, one), await StatusAsync(a, two)));
        await first.ApplyAsync(one, new JobStarted(T0, "deploy", 1));
        await first.ApplyAsync(one, JobFinished.Success(T0, "deploy", 1));

        Assert.Equal(CiStatus.Pending, await StatusAsync(b, two));
        var holder = Assert.Single(await b.ResourceHoldersAsync());
        Assert.Equal((two, "production"), (holder.Claim.PipelineId, holder.Group));
    }

    [Fact]
    public async Task A_group_stored_by_an_older_version_is_taken_over_with_its_holder_and_queue()
    {
        var store = new SqlPipelineStore(Db);
        await using var driver = DriverOn(store);
        var one = await CreateAsync(store, driver);
        var two = await CreateAsync(store, driver);
        await using (var c = await Db.OpenAsync())
        {
            // What migration 10's code kept: the holder in its columns, the waiting claim in its own table.
            await c.ExecuteAsync("UPDATE resource_groups SET state_json = NULL");
            await c.ExecuteAsync(
                "INSERT INTO resource_group_waiting (project_id, name, pipeline_id, job, attempt) SELECT project_id, 'production', @two, 'deploy', 1 FROM pipelines WHERE id = @two",
                new { two });
        }

        await driver.ApplyAsync(one, new JobStarted(T0, "deploy", 1));
        await driver.ApplyAsync(one, JobFinished.Success(T0, "deploy", 1));

        Assert.Equal(CiStatus.Pending, await StatusAsync(store, two));
        await using var check = await Db.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM resource_group_waiting"));
        Assert.NotNull(await check.ExecuteScalarAsync<string>("SELECT state_json FROM resource_groups"));
    }

    [Fact]
    public async Task A_release_a_crash_cut_short_is_repaired_and_the_next_claim_granted()
    {
        var store = new SqlPipelineStore(Db);
        await using var driver = DriverOn(store);
        var one = await CreateAsync(store, driver);
        var two = await CreateAsync(store, driver);
        await store.TransitionAsync(one, s => PipelineEngine.Apply(s!, new PipelineCancelRequested(T0))); // no driver: the release is lost
        Assert.Equal(one, Assert.Single(await store.ResourceHoldersAsync()).Claim.PipelineId);

        await new Relais.Server.Reliability.StateSweeper(store, driver, TimeProvider.System).SweepAsync([CiStatus.Running]);

        Assert.Equal(CiStatus.Pending, await StatusAsync(store, two));
        Assert.Equal(two, Assert.Single(await store.ResourceHoldersAsync()).Claim.PipelineId);
    }

    private async Task<long> CreateAsync(SqlPipelineStore store, PipelineDriver driver)
    {
        var project = await new SqlProjectStore(Db).EnsureProjectAsync("root/demo", "main", T0);
        var context = new PipelineContext { Ref = "main" };
        var id = await store.InsertPipelineAsync(project.Id, "main", new string('a', 40), StateJson.Write(context), T0);
        var plan = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(Deploy), context)).Plan!;
        await driver.CreateAsync(id, plan, T0);
        return id;
    }

    private static async Task<CiStatus?> StatusAsync(SqlPipelineStore store, long pipeline) => await store.JobStatusAsync(pipeline, "deploy", 1);
}
