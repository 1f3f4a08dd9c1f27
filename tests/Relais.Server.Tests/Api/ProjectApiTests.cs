using System.Net;

namespace Relais.Server.Tests.Api;

public sealed class ProjectApiTests
{
    [Fact]
    public async Task Projects_are_created_listed_found_by_id_or_path_and_made_public()
    {
        await using var api = await ApiFixture.StartAsync();
        var (created, project, _) = await api.PostAsync("projects", """{"name":"Demo App","visibility":"private"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("root/demo-app", project.GetProperty("path_with_namespace").GetString());
        Assert.Equal("private", project.GetProperty("visibility").GetString());
        Assert.EndsWith("Z", project.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        var id = project.GetProperty("id").GetInt64();

        var (dup, dupBody, _) = await api.PostAsync("projects", """{"path":"demo-app"}""");
        Assert.Equal(HttpStatusCode.BadRequest, dup);
        Assert.Equal("has already been taken", dupBody.GetProperty("message").GetProperty("path")[0].GetString());

        var (byPath, samePath, _) = await api.GetAsync("projects/root%2Fdemo-app");
        Assert.Equal(HttpStatusCode.OK, byPath);
        Assert.Equal(id, samePath.GetProperty("id").GetInt64());

        for (var i = 0; i < 3; i++)
        {
            await api.PostAsync("projects", $$"""{"path":"extra{{i}}"}""");
        }

        var (_, page, response) = await api.GetAsync("projects?per_page=2&page=1");
        Assert.Equal(2, page.GetArrayLength());
        Assert.Equal("4", response.Headers.GetValues("X-Total").Single());
        Assert.Equal("2", response.Headers.GetValues("X-Next-Page").Single());
        Assert.Equal("2", response.Headers.GetValues("X-Per-Page").Single());

        // Private: invisible to alice and to anonymous callers.
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{id}", ApiFixture.AliceToken)).Status);
        var (missing, message, _) = await api.GetAsync($"projects/{id}", token: null);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("404 Project Not Found", message.GetProperty("message").GetString());
        Assert.Equal(0, (await api.GetAsync("projects", ApiFixture.AliceToken)).Json.GetArrayLength());

        var (put, updated, _) = await api.SendAsync(HttpMethod.Put, $"projects/{id}?visibility=public");
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal("public", updated.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/{id}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/{id}", token: null)).Status);
        Assert.Equal(1, (await api.GetAsync("projects", ApiFixture.AliceToken)).Json.GetArrayLength());

        // Visible but not hers: alice may not change it.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Put, $"projects/{id}", ApiFixture.AliceToken, """{"visibility":"private"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Put, $"projects/{id}", json: """{"visibility":"secret"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("projects/999")).Status);
    }

    [Fact]
    public async Task Tokens_are_checked_and_a_user_sees_their_own_namespace()
    {
        await using var api = await ApiFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("projects", "glpat-wrong")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user", token: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync("projects", """{"name":"x"}""", token: null)).Status);
        var (_, me, _) = await api.GetAsync("user");
        Assert.Equal("root", me.GetProperty("username").GetString());
        Assert.True(me.GetProperty("is_admin").GetBoolean());

        var (status, mine, _) = await api.PostAsync("projects", """{"name":"mine"}""", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("alice/mine", mine.GetProperty("path_with_namespace").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("projects/alice%2Fmine", ApiFixture.AliceToken)).Status);

        // The query-string token works as well as the header.
        var response = await api.Server.Http.GetAsync($"api/v4/projects/alice%2Fmine?private_token={ApiFixture.AliceToken}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Runners_are_listed_for_administrators_only()
    {
        await using var api = await ApiFixture.StartAsync();
        var (runnerId, _) = await api.Server.RegisterRunnerAsync(tags: "docker");
        var (_, all, _) = await api.GetAsync("runners/all");
        Assert.Equal(runnerId, all[0].GetProperty("id").GetInt64());
        Assert.Equal("instance_type", all[0].GetProperty("runner_type").GetString());
        Assert.Equal(1, (await api.GetAsync("runners")).Json.GetArrayLength());
        var (one, runner, _) = await api.GetAsync($"runners/{runnerId}");
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.Equal("docker", runner.GetProperty("tag_list")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("runners/all", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"runners/{runnerId}", ApiFixture.AliceToken)).Status);
        Assert.Equal(0, (await api.GetAsync("runners", ApiFixture.AliceToken)).Json.GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("runners", token: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("runners/999")).Status);
    }
}
