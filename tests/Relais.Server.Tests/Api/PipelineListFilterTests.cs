using System.Globalization;
using System.Net;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// <c>GET /projects/:id/pipelines</c>'s filters and order (issue #14: every one was ignored, and <c>source</c> showed
/// <c>push</c> for all): filtered, ordered and counted in SQL on both stores, child pipelines left out unless asked for,
/// GitLab's 400s for bad values, and python-gitlab's <c>get_all=True</c> reading every page of a filtered list.
/// </summary>
public sealed class PipelineListFilterTests
{
    private const string Plain = "build: {script: [x]}";
    private const string Named = "workflow: {name: Build pipeline}\nbuild: {script: [x]}";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Every_filter_and_order_applies_and_the_total_counts_what_matches(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.Server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var (root, alice) = await UsersAsync(api);
        var p1 = await RunAsync(api, project, Named, "main", PipelineSource.Push, root);
        var p2 = await RunAsync(api, project, Plain, "feature", PipelineSource.Api, alice, sha: new string('b', 40));
        var p3 = await RunAsync(api, project, Plain, "main", PipelineSource.Schedule, root);
        var p4 = await RunAsync(api, project, Plain, "v1.0", PipelineSource.Web, alice, tag: true);
        var child = await RunAsync(api, project, Plain, "main", PipelineSource.ParentPipeline, root);
        var broken = await RunAsync(api, project, "build: {script: 42}", "main", PipelineSource.Push, root);
        var list = $"projects/{project.Id}/pipelines";

        Assert.Equal([broken, p4, p3, p2, p1], await IdsAsync(api, list));
        Assert.Equal([p3], await IdsAsync(api, list + "?source=schedule"));
        Assert.Equal([child], await IdsAsync(api, list + "?source=parent_pipeline"));
        Assert.Empty(await IdsAsync(api, list + "?source=trigger"));
        Assert.Equal([p2], await IdsAsync(api, list + "?ref=feature"));
        Assert.Equal([p2], await IdsAsync(api, list + "?sha=" + new string('b', 40)));
        Assert.Equal([p4, p2], await IdsAsync(api, list + "?username=alice"));
        Assert.Empty(await IdsAsync(api, list + "?username=nobody"));
        Assert.Equal([broken], await IdsAsync(api, list + "?yaml_errors=true"));
        Assert.Equal([p4, p3, p2, p1], await IdsAsync(api, list + "?yaml_errors=false"));
        Assert.Equal([p1], await IdsAsync(api, list + "?name=Build%20pipeline"));
        Assert.Equal([broken], await IdsAsync(api, list + "?scope=finished"));
        Assert.Equal([broken], await IdsAsync(api, list + "?status=failed"));
        Assert.Empty(await IdsAsync(api, list + "?scope=running&status=failed"));
        Assert.Equal([p4, p3, p2, p1], await IdsAsync(api, list + "?scope=pending"));
        Assert.Empty(await IdsAsync(api, list + "?updated_after=2999-01-01T00:00:00Z"));
        Assert.Equal(5, (await IdsAsync(api, list + "?updated_before=2999-01-01T00:00:00Z&created_after=2000-01-01T00:00:00Z")).Count);
        Assert.Empty(await IdsAsync(api, list + "?created_before=2000-01-01T00:00:00Z"));
        Assert.Equal([p1, p2, p3, p4, broken], await IdsAsync(api, list + "?sort=asc"));
        Assert.Equal([p2, p1, p3, broken, p4], await IdsAsync(api, list + "?order_by=ref&sort=asc"));
        Assert.Equal([p1, p3, broken, p2, p4], await IdsAsync(api, list + "?order_by=user_id&sort=asc"));

        var (_, page, response) = await api.GetAsync(list + "?source=push&per_page=1");
        Assert.Equal(broken, page[0].GetProperty("id").GetInt64());
        Assert.Equal("2", response.Headers.GetValues("X-Total").Single());
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var items = (await api.GetAsync(list + "?sort=asc")).Json.EnumerateArray().ToList();
        Assert.Equal(["push", "api", "schedule", "web", "push"], items.Select(i => i.GetProperty("source").GetString()!).ToArray());
        Assert.Equal("Build pipeline", items[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task Values_GitLab_does_not_accept_are_400_with_its_messages()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Plain);
        var list = $"projects/{project}/pipelines";

        await AssertErrorAsync(api, list + "?status=bogus", "status does not have a valid value");
        await AssertErrorAsync(api, list + "?scope=everything", "scope does not have a valid value");
        await AssertErrorAsync(api, list + "?order_by=name", "order_by does not have a valid value");
        await AssertErrorAsync(api, list + "?sort=up", "sort does not have a valid value");
        await AssertErrorAsync(api, list + "?source=elsewhere", "source does not have a valid value");
        await AssertErrorAsync(api, list + "?updated_after=yesterday", "updated_after is invalid");
        await AssertErrorAsync(api, list + "?yaml_errors=maybe", "yaml_errors is invalid");
        await AssertErrorAsync(api, list + "?scope=x&sort=y", "scope does not have a valid value, sort does not have a valid value");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(list + "?status=waiting_for_callback&source=chat&order_by=status&sort=asc")).Status);
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_reads_every_page_of_a_filtered_ordered_list()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Plain);
        var row = (await api.Server.Host.Stores.Projects.GetProjectAsync(project))!;
        var (root, _) = await UsersAsync(api);
        List<long> viaApi = [];
        for (var i = 0; i < 3; i++)
        {
            viaApi.Add(await api.RunPipelineAsync(project));
            await RunAsync(api, row, Plain, "main", PipelineSource.Push, root);
        }

        var listed = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            found = p.pipelines.list(get_all=True, per_page=1, source="api", order_by="id", sort="asc", username="root")
            print(json.dumps([[x.id, x.source] for x in found]))
            """);

        Assert.Equal(viaApi, listed.EnumerateArray().Select(x => x[0].GetInt64()).ToList());
        Assert.All(listed.EnumerateArray(), x => Assert.Equal("api", x[1].GetString()));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Migration_190_fills_in_source_tag_and_name_of_older_rows(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.Server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var (root, _) = await UsersAsync(api);
        var id = await RunAsync(api, project, Named, "v2", PipelineSource.Schedule, root, tag: true);
        var options = api.Server.Host.Options;
        await using var db = Databases.Open(options.Database, options.DataDir);
        await using (var c = await db.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE pipelines SET source = NULL, name = NULL, tag = @no", new { no = false });
            await using var tx = await c.BeginTransactionAsync();
            await StoredPipelineColumns.BackfillAsync(c, tx, db.Dialect, CancellationToken.None);
            await tx.CommitAsync();
        }

        var list = $"projects/{project.Id}/pipelines";
        Assert.Equal([id], await IdsAsync(api, list + "?source=schedule&name=Build%20pipeline"));
        Assert.Equal("schedule", (await api.GetAsync(list)).Json[0].GetProperty("source").GetString());
        Assert.Equal(1, await ScalarAsync(db, "SELECT COUNT(*) FROM pipelines WHERE tag = @yes", new { yes = true }));
    }

    internal static async Task<(PipelineUser Root, PipelineUser Alice)> UsersAsync(ApiFixture api)
    {
        var identity = api.Server.Host.Stores.Identity;
        var users = await identity.ListUsersAsync(new UserFilter());
        PipelineUser Of(string name) => users.Where(u => u.Username == name).Select(u => new PipelineUser(u.Id, u.Username, u.Username, "")).Single();
        return (Of("root"), Of("alice"));
    }

    internal static async Task<long> RunAsync(
        ApiFixture api, ProjectRecord project, string yaml, string gitRef, PipelineSource source, PipelineUser user, bool tag = false, string? sha = null)
    {
        var context = new PipelineContext { Ref = gitRef, IsTag = tag, Sha = sha ?? new string('a', 40), Source = source, User = user };
        var created = await api.Server.Host.Pipelines.CreateAsync(project, new PipelineInput(InMemoryConfigSource.Single(yaml), context));
        Assert.True(created.Created);
        return created.Id;
    }

    private static async Task<List<long>> IdsAsync(ApiFixture api, string path)
    {
        var (status, json, _) = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. json.EnumerateArray().Select(p => p.GetProperty("id").GetInt64())];
    }

    private static async Task AssertErrorAsync(ApiFixture api, string path, string error)
    {
        var (status, json, _) = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(error, json.GetProperty("error").GetString());
    }

    private static async Task<long> ScalarAsync(IDatabase db, string sql, object args)
    {
        await using var c = await db.OpenAsync();
        return Convert.ToInt64(await Dapper.SqlMapper.ExecuteScalarAsync(c, sql, args), CultureInfo.InvariantCulture);
    }
}
