using System.Net;
using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>The repository API (branches, tags) over HTTP: GitLab's shapes, its status codes, and input that must not reach git as an option.</summary>
public sealed class RepositoryApiTests
{
    [Fact]
    public async Task Branches_are_listed_searched_paged_and_read_in_gitlabs_shape()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var (status, list, response) = await api.GetAsync($"projects/{repo.Project}/repository/branches");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["feature/one", "main"], list.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal("2", response.Headers.GetValues("X-Total").Single());

        var main = list[1];
        Assert.True(main.GetProperty("default").GetBoolean());
        Assert.True(main.GetProperty("protected").GetBoolean());
        Assert.False(main.GetProperty("merged").GetBoolean());
        Assert.False(main.GetProperty("developers_can_push").GetBoolean());
        Assert.True(main.GetProperty("can_push").GetBoolean());
        Assert.EndsWith("/root/demo/-/tree/main", main.GetProperty("web_url").GetString(), StringComparison.Ordinal);
        var commit = main.GetProperty("commit");
        Assert.Equal(repo.Second, commit.GetProperty("id").GetString());
        Assert.Equal(repo.Second[..8], commit.GetProperty("short_id").GetString());
        Assert.Equal("Second commit", commit.GetProperty("title").GetString());
        Assert.Equal([repo.First], commit.GetProperty("parent_ids").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Ada Lovelace", commit.GetProperty("author_name").GetString());
        Assert.Equal("ada@example.com", commit.GetProperty("committer_email").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", commit.GetProperty("authored_date").GetString()!);
        Assert.EndsWith("/root/demo/-/commit/" + repo.Second, commit.GetProperty("web_url").GetString(), StringComparison.Ordinal);

        var feature = list[0];
        Assert.True(feature.GetProperty("merged").GetBoolean());
        Assert.False(feature.GetProperty("protected").GetBoolean());
        Assert.Equal("First commit\n\nWith a body.", feature.GetProperty("commit").GetProperty("message").GetString());

        Assert.Equal(["feature/one"], Names((await api.GetAsync($"projects/{repo.Project}/repository/branches?search=FEAT")).Json));
        Assert.Equal(["main"], Names((await api.GetAsync($"projects/{repo.Project}/repository/branches?search=^ma")).Json));
        Assert.Empty(Names((await api.GetAsync($"projects/{repo.Project}/repository/branches?search=^one")).Json));
        var (_, paged, pagedResponse) = await api.GetAsync($"projects/{repo.Project}/repository/branches?per_page=1&page=2");
        Assert.Equal(["main"], Names(paged));
        Assert.Equal("2", pagedResponse.Headers.GetValues("X-Total-Pages").Single());

        var (one, got, _) = await api.GetAsync($"projects/{repo.Project}/repository/branches/feature%2Fone");
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.Equal(repo.First, got.GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/root%2Fdemo/repository/branches/feature/one")).Status);
        var (missing, error, _) = await api.GetAsync($"projects/{repo.Project}/repository/branches/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("404 Branch Not Found", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Branches_are_created_from_a_ref_and_deleted_but_never_the_default_one()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var route = $"projects/{repo.Project}/repository/branches";
        var (created, branch, _) = await api.PostAsync(route, """{"branch":"topic/a","ref":"feature/one"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("topic/a", branch.GetProperty("name").GetString());
        Assert.Equal(repo.First, branch.GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal(repo.First, repo.Git.Ok("ls-remote", repo.Remote, "refs/heads/topic/a").Split('\t')[0]);

        var (again, exists, _) = await api.PostAsync(route, """{"branch":"topic/a","ref":"main"}""");
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("Branch already exists", exists.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(route, $$"""{"branch":"from-sha","ref":"{{repo.Second}}"}""")).Status);
        Assert.Equal("400 Bad request - ref is missing", (await api.PostAsync(route, """{"branch":"x"}""")).Json.GetProperty("message").GetString());
        Assert.Equal("Invalid reference name: nope", (await api.PostAsync(route, """{"branch":"x","ref":"nope"}""")).Json.GetProperty("message").GetString());

        var (deleteDefault, refused, _) = await api.SendAsync(HttpMethod.Delete, route + "/main");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteDefault);
        Assert.Equal("The default branch of a project cannot be deleted.", refused.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, route + "/topic%2Fa")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(route + "/topic%2Fa")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, route + "/topic%2Fa")).Status);
        Assert.Equal("", repo.Git.Ok("ls-remote", repo.Remote, "refs/heads/topic/a").Trim());
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--upload-pack=touch")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a~1")]
    [InlineData("HEAD")]
    [InlineData("x.lock")]
    public async Task A_branch_name_that_is_an_option_or_not_a_ref_name_is_refused(string name)
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var (status, json, _) = await repo.Api.PostAsync(
            $"projects/{repo.Project}/repository/branches", JsonSerializer.Serialize(new Dictionary<string, string> { ["branch"] = name, ["ref"] = "main" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Branch name is invalid", json.GetProperty("message").GetString());
        Assert.Equal(["feature/one", "main"], Names((await repo.Api.GetAsync($"projects/{repo.Project}/repository/branches")).Json));
    }

    [Fact]
    public async Task A_ref_that_is_an_option_never_reaches_git_as_one()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var marker = Path.Combine(repo.Git.Dir, "pwned");
        foreach (var hostile in new[] { "--upload-pack=touch " + marker, "--output=" + marker, "-h" })
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["branch"] = "evil", ["ref"] = hostile });
            Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync($"projects/{repo.Project}/repository/branches", body)).Status);
            var tag = JsonSerializer.Serialize(new Dictionary<string, string> { ["tag_name"] = "evil", ["ref"] = hostile });
            Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync($"projects/{repo.Project}/repository/tags", tag)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync($"projects/{repo.Project}/repository/branches/" + Uri.EscapeDataString(hostile))).Status);
        }

        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Tags_lightweight_and_annotated_are_created_read_and_deleted()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var route = $"projects/{repo.Project}/repository/tags";
        Assert.Empty((await api.GetAsync(route)).Json.EnumerateArray());

        var (light, lightTag, _) = await api.PostAsync(route, """{"tag_name":"v1.0","ref":"feature/one"}""");
        Assert.Equal(HttpStatusCode.Created, light);
        Assert.Equal(repo.First, lightTag.GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, lightTag.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.Null, lightTag.GetProperty("release").ValueKind);

        var (annotated, tag, _) = await api.PostAsync(route, """{"tag_name":"release/v2","ref":"main","message":"Version two"}""");
        Assert.Equal(HttpStatusCode.Created, annotated);
        Assert.Equal("Version two", tag.GetProperty("message").GetString());
        Assert.NotEqual(repo.Second, tag.GetProperty("target").GetString());
        Assert.Equal(repo.Second, tag.GetProperty("commit").GetProperty("id").GetString());
        Assert.NotEqual(JsonValueKind.Null, tag.GetProperty("created_at").ValueKind);
        Assert.NotEmpty(repo.Git.Ok("ls-remote", repo.Remote, "refs/tags/release/v2").Trim());

        var (duplicate, conflict, _) = await api.PostAsync(route, """{"tag_name":"v1.0","ref":"main"}""");
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Equal("Tag v1.0 already exists", conflict.GetProperty("message").GetString());
        Assert.Equal("Tag name invalid", (await api.PostAsync(route, """{"tag_name":"-v","ref":"main"}""")).Json.GetProperty("message").GetString());
        Assert.Equal("Target nope is invalid", (await api.PostAsync(route, """{"tag_name":"v9","ref":"nope"}""")).Json.GetProperty("message").GetString());

        Assert.Equal(["release/v2", "v1.0"], Names((await api.GetAsync(route)).Json));
        Assert.Equal(["v1.0"], Names((await api.GetAsync(route + "?search=v1")).Json));
        Assert.Equal("Version two", (await api.GetAsync(route + "/release%2Fv2")).Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, route + "/release%2Fv2")).Status);
        Assert.Equal("404 Tag Not Found", (await api.GetAsync(route + "/release%2Fv2")).Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_private_repository_is_404_to_others_and_only_its_owner_changes_a_public_one()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var branches = $"projects/{repo.Project}/repository/branches";
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(branches, ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{repo.Project}/repository/tags", token: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(branches, """{"branch":"x","ref":"main"}""", ApiFixture.AliceToken)).Status);

        await api.SendAsync(HttpMethod.Put, $"projects/{repo.Project}", json: """{"visibility":"public"}""");
        var (status, list, _) = await api.GetAsync(branches, token: null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(list[0].GetProperty("can_push").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync(branches, """{"branch":"x","ref":"main"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, branches + "/feature%2Fone", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync($"projects/{repo.Project}/repository/tags", """{"tag_name":"x","ref":"main"}""", token: null)).Status);
    }

    [Fact]
    public async Task A_read_api_token_reads_the_repository_but_cannot_create_or_delete_a_branch_or_tag()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        const string reader = "glpat-root-read-api";
        await repo.Api.Server.Host.Stores.Identity.AddPersonalAccessTokenAsync(
            1, "reader", Auth.Tokens.Hash(reader), DateTimeOffset.UtcNow, new Storage.TokenGrant(["read_api"], null));
        var route = $"projects/{repo.Project}/repository";
        Assert.Equal(HttpStatusCode.OK, (await repo.Api.GetAsync(route + "/branches", reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await repo.Api.GetAsync(route + "/files/README.md/raw", reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await repo.Api.PostAsync(route + "/branches", """{"branch":"x","ref":"main"}""", reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await repo.Api.PostAsync(route + "/tags", """{"tag_name":"x","ref":"main"}""", reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await repo.Api.SendAsync(HttpMethod.Delete, route + "/branches/feature%2Fone", reader)).Status);
        Assert.Equal(["feature/one", "main"], Names((await repo.Api.GetAsync(route + "/branches")).Json));
    }

    [Theory]
    [InlineData("", "main", true)]
    [InlineData("MA", "main", true)]
    [InlineData("^ma", "main", true)]
    [InlineData("^ai", "main", false)]
    [InlineData("in$", "main", true)]
    [InlineData("^main$", "main", true)]
    [InlineData("^mai$", "main", false)]
    public void Branch_search_follows_gitlabs_anchors(string search, string name, bool matches) =>
        Assert.Equal(matches, Relais.Server.Api.BranchEndpoints.Matches(search, name));

    private static List<string?> Names(JsonElement list) => list.EnumerateArray().Select(b => b.GetProperty("name").GetString()).ToList();
}
