using System.Text.Json.Nodes;
using Dapper;
using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Protocol;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;
using Relais.Server.Storage.State;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>
/// Migration 50 rewrites the stored states of the three old layouts (the engine's types serialised by reflection, the
/// plan's YAML values as nodes) into the versioned records, and the store then loads and advances them. The fixtures
/// were written by the store before the change: a pipeline (7) of four jobs, "build" done and "steps" running.
/// </summary>
public sealed class StoredStateMigrationTests
{
    private const string OldPlan = """
        {"Stages":[".pre","build","test","deploy",".post"],"Jobs":[{"Name":"build","BaseName":"build","Stage":"build","When":"OnSuccess","AllowFailure":false,"AllowFailureExitCodes":[],"BeforeScript":[],"Script":["make"],"AfterScript":[],"Image":{"Name":"alpine","PullPolicy":[],"ExecutorOptions":{"m":[["docker",{"m":[["platform",{"s":"amd64","t":4}]]}],["kubernetes",{"m":[["user",{"s":"1000","t":2}]]}]]}},"Services":[],"Variables":[],"Cache":[],"Interruptible":false,"Retry":{"Max":0,"When":["always"],"ExitCodes":[]},"Tags":[],"PreGetSourcesScript":[],"Extras":{"id_tokens":{"m":[["T",{"m":[["aud",{"s":"x","t":4}]]}]]}},"Location":{"File":".gitlab-ci.yml","Line":1,"Column":1}},{"Name":"steps","BaseName":"steps","Stage":"build","When":"OnSuccess","AllowFailure":false,"AllowFailureExitCodes":[],"BeforeScript":[],"Script":[],"AfterScript":[],"Services":[],"Variables":[],"Cache":[],"Interruptible":false,"Retry":{"Max":0,"When":["always"],"ExitCodes":[]},"Tags":[],"PreGetSourcesScript":[],"Extras":{"run":{"l":[{"m":[["name",{"s":"a","t":4}],["script",{"s":"echo","t":4}]]}]}},"Location":{"File":".gitlab-ci.yml","Line":2,"Column":1}},{"Name":"deploy","BaseName":"deploy","Stage":"deploy","When":"Manual","AllowFailure":true,"AllowFailureExitCodes":[],"BeforeScript":[],"Script":["d"],"AfterScript":[],"Services":[],"Variables":[],"Cache":[],"Environment":{"Name":"prod","Action":"start","Kubernetes":{"m":[["namespace",{"s":"p","t":4}]]}},"Interruptible":false,"Retry":{"Max":0,"When":["always"],"ExitCodes":[]},"Tags":[],"PreGetSourcesScript":[],"Extras":{},"Location":{"File":".gitlab-ci.yml","Line":3,"Column":1}},{"Name":"child","BaseName":"child","Stage":"deploy","When":"OnSuccess","AllowFailure":false,"AllowFailureExitCodes":[],"BeforeScript":[],"Script":[],"AfterScript":[],"Services":[],"Variables":[],"Cache":[],"Interruptible":false,"Retry":{"Max":0,"When":["always"],"ExitCodes":[]},"Tags":[],"Trigger":{"IncludeFiles":["c.yml"],"Raw":{"m":[["include",{"s":"c.yml","t":4}]]}},"PreGetSourcesScript":[],"Extras":{},"Location":{"File":".gitlab-ci.yml","Line":4,"Column":1}}],"Variables":[],"AutoCancel":{"OnNewCommit":"conservative","OnJobFailure":"none"}}
        """;

    private const string OldProgress = """
        {"Id":7,"Status":"Running","CreatedAt":"2026-12-01T10:00:00+00:00","UpdatedAt":"2026-12-01T10:00:03+00:00","StartedAt":"2026-12-01T10:00:01+00:00","Jobs":[{"Name":"build","Attempt":1,"Status":"Success","Retried":false,"AllowFailure":false,"CreatedAt":"2026-12-01T10:00:00+00:00","QueuedAt":"2026-12-01T10:00:00+00:00","StartedAt":"2026-12-01T10:00:01+00:00","FinishedAt":"2026-12-01T10:00:02+00:00","EnqueueImmediately":false},{"Name":"steps","Attempt":1,"Status":"Running","Retried":false,"AllowFailure":false,"CreatedAt":"2026-12-01T10:00:00+00:00","QueuedAt":"2026-12-01T10:00:00+00:00","StartedAt":"2026-12-01T10:00:03+00:00","EnqueueImmediately":false},{"Name":"deploy","Attempt":1,"Status":"Created","Retried":false,"AllowFailure":true,"CreatedAt":"2026-12-01T10:00:00+00:00","EnqueueImmediately":false},{"Name":"child","Attempt":1,"Status":"Created","Retried":false,"AllowFailure":false,"CreatedAt":"2026-12-01T10:00:00+00:00","EnqueueImmediately":false}]}
        """;

    public static TheoryData<string, string> StoresAndLayouts
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var store in Stores.All)
            {
                foreach (var layout in new[] { "whole", "plan apart", "every part apart" })
                {
                    data.Add(store, layout);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(StoresAndLayouts))]
    public async Task A_row_of_an_old_layout_is_rewritten_by_the_migration_and_then_loads_and_advances(string store, string layout)
    {
        var connection = await Stores.CreateDatabaseAsync(store);
        var dir = Directory.CreateTempSubdirectory("relais-migrate-").FullName;
        var db = Databases.Open(connection, dir);
        try
        {
            await db.MigrateAsync();
            var id = await InsertOldRowAsync(db, layout);
            await using (var c = await db.OpenAsync())
            {
                await c.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 50");
            }

            await db.MigrateAsync();

            var state = (await new SqlPipelineStore(db).GetPipelineStateAsync(id))!.State!;
            Assert.Equal(CiStatus.Running, state.Status);
            Assert.Equal(["build:success", "steps:running", "deploy:created", "child:created"], state.Jobs.Select(j => $"{j.Name}:{j.Status.ToGitLab()}").ToArray());
            Assert.True(state.Job("deploy")!.AllowFailure);
            Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:03Z", System.Globalization.CultureInfo.InvariantCulture), state.Job("steps")!.StartedAt);
            var build = state.Plan.Job("build")!;
            Assert.Equal("amd64", build.Image!.Docker!.Platform);
            Assert.Equal(1000, build.Image.Kubernetes!.Uid);
            Assert.Equal("""{"T":{"aud":"x"}}""", build.Extras["id_tokens"].Json);
            Assert.Equal("""[{"name":"a","script":"echo"}]""", state.Plan.Job("steps")!.Extras["run"].Json);
            Assert.Equal("p", state.Plan.Job("deploy")!.Environment!.Kubernetes!.Namespace);
            Assert.Equal("""{"include":"c.yml"}""", state.Plan.Job("child")!.Trigger!.Written.Json);
            Assert.Equal(["c.yml"], state.Plan.Job("child")!.Trigger!.IncludeFiles.ToArray());
            await using (var c = await db.OpenAsync())
            {
                Assert.Contains("\"version\"", await c.ExecuteScalarAsync<string>("SELECT state_json FROM pipelines WHERE id = @id", new { id }), StringComparison.Ordinal);
                Assert.All(await c.QueryAsync<string>("SELECT state_json FROM jobs WHERE pipeline_id = @id", new { id }), json => Assert.Contains("\"version\"", json, StringComparison.Ordinal));
            }

            var step = await new SqlPipelineStore(db).TransitionAsync(id, s => PipelineEngine.Apply(s!, JobFinished.Success(s!.UpdatedAt.AddSeconds(1), "steps", 1)));
            Assert.Equal(CiStatus.Success, step!.State.Job("steps")!.Status);
            Assert.Equal(CiStatus.Success, (await new SqlPipelineStore(db).GetPipelineStateAsync(id))!.State!.Job("steps")!.Status);
        }
        finally
        {
            await db.DisposeAsync();
            await Stores.DropDatabaseAsync(connection);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A pipeline row (and, in the newest old layout, its job rows) as the store wrote them before migration 50.</summary>
    private static async Task<long> InsertOldRowAsync(IDatabase db, string layout)
    {
        var store = new SqlPipelineStore(db);
        var project = await new SqlProjectStore(db).EnsureProjectAsync("root/demo", "main", DateTimeOffset.UnixEpoch);
        var id = await store.InsertPipelineAsync(project.Id, "main", new string('a', 40), StateJson.Write(new PipelineContext { Ref = "main" }), DateTimeOffset.UnixEpoch);
        var progress = JsonNode.Parse(OldProgress)!.AsObject();
        progress["Id"] = id;
        var jobs = progress["Jobs"]!.AsArray().Select(j => j!.ToJsonString()).ToList();
        var header = progress.DeepClone().AsObject();
        header.Remove("Jobs");
        var whole = new JsonObject { ["Id"] = id, ["Plan"] = JsonNode.Parse(OldPlan) };
        foreach (var (key, value) in progress.Where(p => p.Key != "Id"))
        {
            whole[key] = value?.DeepClone();
        }

        var (stateJson, planJson) = layout switch
        {
            "whole" => (whole.ToJsonString(), null),
            "plan apart" => (progress.ToJsonString(), OldPlan),
            _ => (header.ToJsonString(), OldPlan),
        };
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync($"UPDATE pipelines SET state_json = @stateJson{db.Dialect.Json}, plan_json = @planJson, status = 'running' WHERE id = @id", new { stateJson, planJson, id });
        if (layout == "every part apart")
        {
            foreach (var job in jobs)
            {
                var name = JsonNode.Parse(job)!["Name"]!.GetValue<string>();
                await c.ExecuteAsync(
                    "INSERT INTO jobs (pipeline_id, project_id, name, stage, attempt, status, tags, state_json) VALUES (@id, @projectId, @name, 'build', 1, 'created', '', @job)",
                    new { id, projectId = project.Id, name, job });
            }
        }

        return id;
    }
}
