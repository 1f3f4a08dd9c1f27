using Dapper;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;
using Relais.Server.Storage.Json;
using Relais.Server.Storage.State;

namespace Relais.Server.Tests;

/// <summary>
/// How pipeline states are stored: the plan once, the progress per event, parsed states cached by row version. Two
/// stores on one database stand for two coordinators: each must see the other's writes.
/// </summary>
public sealed class PipelineStateStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private TempSqliteDatabase _temp = null!;

    private SqliteDatabase Db => _temp.Database;

    public async Task InitializeAsync() => _temp = await TempSqliteDatabase.CreateAsync("relais-state-");

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task Two_stores_on_one_database_each_see_the_states_the_other_wrote()
    {
        var a = new SqlPipelineStore(Db);
        var b = new SqlPipelineStore(Db);
        var id = await NewPipelineAsync(a, "one: {script: [echo]}\ntwo: {script: [echo]}");

        Assert.NotNull(await a.TransitionAsync(id, s => PipelineEngine.Apply(s!, new JobStarted(T0.AddSeconds(1), "one", 1))));
        Assert.Equal(CiStatus.Running, (await b.GetPipelineStateAsync(id))!.State!.Job("one")!.Status);
        Assert.NotNull(await b.TransitionAsync(id, s => PipelineEngine.Apply(s!, JobFinished.Success(T0.AddSeconds(2), "one", 1))));

        // a's cached state is one version behind: it must read b's write, not apply the event to its stale copy.
        var step = await a.TransitionAsync(id, s => PipelineEngine.Apply(s!, new JobStarted(T0.AddSeconds(3), "two", 1)));
        Assert.Equal(CiStatus.Success, step!.State.Job("one")!.Status);
        var seen = (await a.GetPipelineStateAsync(id))!;
        Assert.Equal(CiStatus.Running, seen.State!.Job("two")!.Status);
        Assert.Equal(4, seen.Row.Version); // created, then three events
        Assert.Equal(2, seen.State.Plan.Jobs.Length);
    }

    [Fact]
    public async Task The_plan_is_stored_once_and_each_event_writes_only_the_progress()
    {
        var store = new SqlPipelineStore(Db);
        var id = await NewPipelineAsync(store, "one: {script: [echo]}");
        var planBefore = await ColumnAsync(id, "plan_json");
        await store.TransitionAsync(id, s => PipelineEngine.Apply(s!, new JobStarted(T0.AddSeconds(1), "one", 1)));

        Assert.Equal(planBefore, await ColumnAsync(id, "plan_json"));
        Assert.DoesNotContain("\"stages\"", await ColumnAsync(id, "state_json"), StringComparison.Ordinal);
        Assert.Contains("\"one\"", planBefore, StringComparison.Ordinal);
        var fresh = new SqlPipelineStore(Db);
        Assert.Equal(CiStatus.Running, (await fresh.GetPipelineStateAsync(id))!.State!.Job("one")!.Status);
    }

    [Fact]
    public async Task An_event_writes_only_the_job_rows_it_changed_and_a_fresh_store_rebuilds_the_state_from_them()
    {
        var store = new SqlPipelineStore(Db);
        var id = await NewPipelineAsync(store, "a: {script: [echo]}\nb: {script: [echo]}\nc: {script: [echo]}");
        await using (var c = await Db.OpenAsync())
        {
            await c.ExecuteAsync(
                """
                CREATE TABLE job_writes (name TEXT);
                CREATE TRIGGER count_job_writes AFTER UPDATE ON jobs BEGIN INSERT INTO job_writes VALUES (new.name); END;
                """);
        }

        await store.TransitionAsync(id, s => PipelineEngine.Apply(s!, new JobStarted(T0.AddSeconds(1), "b", 1)));
        await store.TransitionAsync(id, s => PipelineEngine.Apply(s!, JobFinished.Failure(T0.AddSeconds(2), "b", 1, "script_failure", 1)));
        await store.TransitionAsync(id, s => PipelineEngine.Apply(s!, new RetryRequested(T0.AddSeconds(3), "b")));

        await using (var c = await Db.OpenAsync())
        {
            // b twice, then the retry marks attempt 1 retried (attempt 2 is a new row); a and c were never rewritten.
            Assert.Equal(["b", "b", "b"], (await c.QueryAsync<string>("SELECT name FROM job_writes")).ToArray());
        }

        Assert.DoesNotContain("\"jobs\"", await ColumnAsync(id, "state_json"), StringComparison.Ordinal);
        var written = (await store.GetPipelineStateAsync(id))!.State!;
        var rebuilt = (await new SqlPipelineStore(Db).GetPipelineStateAsync(id))!.State!;
        Assert.Equal(StoredStateJson.WriteHeader(written), StoredStateJson.WriteHeader(rebuilt));
        Assert.Equal(written.Jobs.ToArray(), rebuilt.Jobs.ToArray());
        Assert.Equal(["a:1", "b:1", "b:2", "c:1"], rebuilt.Jobs.Select(j => $"{j.Name}:{j.Attempt}").ToArray());
        Assert.True(rebuilt.Jobs[1].Retried);
    }

    private async Task<long> NewPipelineAsync(SqlPipelineStore store, string yaml)
    {
        var project = await new SqlProjectStore(Db).EnsureProjectAsync("root/demo", "main", T0);
        var context = new PipelineContext { Ref = "main" };
        var id = await store.InsertPipelineAsync(project.Id, "main", new string('a', 40), StateJson.Write(context), T0);
        var plan = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(yaml), context)).Plan!;
        await store.TransitionAsync(id, _ => PipelineEngine.Create(plan, id, T0));
        return id;
    }

    private async Task<string> ColumnAsync(long id, string column)
    {
        await using var c = await Db.OpenAsync();
        return await c.ExecuteScalarAsync<string>($"SELECT {column} FROM pipelines WHERE id = @id", new { id }) ?? "";
    }
}
