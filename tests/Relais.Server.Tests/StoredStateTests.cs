using System.Text.Json;
using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;
using Relais.Server.Storage.State;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>The stored state's explicit, versioned records: every field survives, in JSON and through both databases.</summary>
public sealed class StoredStateTests
{
    [Fact]
    public void Every_field_of_a_plan_and_of_a_state_reads_back_as_it_was_written()
    {
        var state = RichPipeline.State(7);

        var plan = StoredStateJson.ReadPlan(StoredStateJson.Write(state.Plan));
        var back = StoredStateJson.ReadState(StoredStateJson.WriteHeader(state), plan, state.Jobs.Select(j => StoredStateJson.ReadJob(StoredStateJson.Write(j))));

        Assert.Equal(RichPipeline.Describe(state.Plan), RichPipeline.Describe(back.Plan));
        Assert.Equal(state.Jobs.ToArray(), back.Jobs.ToArray());
        Assert.Equal(state with { Plan = back.Plan, Jobs = back.Jobs }, back);
    }

    [Fact]
    public void The_typed_plan_fields_hold_what_the_yaml_said()
    {
        var plan = StoredStateJson.ReadPlan(StoredStateJson.Write(RichPipeline.Plan()));
        var build = plan.Job("build: [amd64]")!;

        Assert.Equal(new DockerOptionsPlan("linux/amd64", "root"), build.Image!.Docker);
        Assert.Equal(new KubernetesOptionsPlan(Uid: 1000), build.Image.Kubernetes);
        Assert.Equal(new KubernetesOptionsPlan(User: "1000:1000"), build.Services[0].Kubernetes);
        Assert.Equal("""{"TOKEN":{"aud":"https://example.com"}}""", build.Extras["id_tokens"].Json);
        Assert.Equal(
            """[{"name":"hello","script":"echo hi"},{"name":"ref","step":"gitlab.com/x@v1","inputs":{"n":1,"f":1.5,"b":true,"s":"1 \u003C\u00E9\u003E"}}]""",
            plan.Job("steps")!.Extras["run"].Json);
        Assert.Equal(new EnvironmentKubernetesPlan("a/b:c", "prod", "f", true, "d", "g"), plan.Job("deploy")!.Environment!.Kubernetes);
        Assert.Equal("""{"include":"child.yml","strategy":"depend","forward":{"yaml_variables":true}}""", plan.Job("child")!.Trigger!.Written.Json);
        Assert.Equal([], plan.Job("later")!.Dependencies!.Value.ToArray());
        Assert.Null(plan.Job("stop")!.Needs);
    }

    [Fact]
    public void Each_stored_record_says_its_layout_version_and_another_version_is_refused()
    {
        var state = RichPipeline.State(7);

        foreach (var json in new[] { StoredStateJson.Write(state.Plan), StoredStateJson.WriteHeader(state), StoredStateJson.Write(state.Jobs[0]) })
        {
            Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("version").GetInt32());
        }

        var future = StoredStateJson.Write(state.Jobs[0]).Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => StoredStateJson.ReadJob(future));
        Assert.Throws<JsonException>(() => StoredStateJson.ReadJob("""{"Name":"old","Attempt":1,"Status":"Created"}"""));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_state_with_every_kind_of_field_is_saved_and_loaded_by_the_store(string store)
    {
        var connection = await Stores.CreateDatabaseAsync(store);
        var dir = Directory.CreateTempSubdirectory("relais-stored-").FullName;
        var db = Databases.Open(connection, dir);
        try
        {
            await db.MigrateAsync();
            var writer = new SqlPipelineStore(db);
            var project = await new SqlProjectStore(db).EnsureProjectAsync("root/demo", "main", DateTimeOffset.UnixEpoch);
            var id = await writer.InsertPipelineAsync(project.Id, "main", new string('a', 40), StateJson.Write(new PipelineContext { Ref = "main" }), DateTimeOffset.UnixEpoch);
            var state = RichPipeline.State(id);
            await writer.TransitionAsync(id, _ => new EngineStep(state, []));

            var back = (await new SqlPipelineStore(db).GetPipelineStateAsync(id))!.State!;

            Assert.Equal(RichPipeline.Describe(state.Plan), RichPipeline.Describe(back.Plan));
            Assert.Equal(state.Jobs.ToArray(), back.Jobs.ToArray());
            Assert.Equal(state with { Plan = back.Plan, Jobs = back.Jobs }, back);
        }
        finally
        {
            await db.DisposeAsync();
            await Stores.DropDatabaseAsync(connection);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
