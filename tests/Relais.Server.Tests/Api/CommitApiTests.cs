using System.Net;
using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>The commits API over HTTP on a repository pushed with real git: lists, filters, one commit and its diff.</summary>
public sealed class CommitApiTests
{
    [Fact]
    public async Task Commits_are_listed_newest_first_by_ref_and_path_and_paged()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/commits";
        var (status, list, response) = await repo.Api.GetAsync(route);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([repo.Second, repo.First], Ids(list));
        Assert.Equal("2", response.Headers.GetValues("X-Total").Single());
        Assert.Equal("Ada Lovelace", list[0].GetProperty("committer_name").GetString());

        Assert.Equal([repo.First], Ids((await repo.Api.GetAsync(route + "?ref_name=feature%2Fone")).Json));
        Assert.Equal([repo.Second], Ids((await repo.Api.GetAsync(route + "?per_page=1")).Json));
        Assert.Equal([repo.First], Ids((await repo.Api.GetAsync(route + "?per_page=1&page=2")).Json));
        Assert.Equal([repo.First], Ids((await repo.Api.GetAsync(route + "?path=README.md")).Json));
        Assert.Empty(Ids((await repo.Api.GetAsync(route + "?path=%3A%28top%29src")).Json)); // pathspec magic is a literal name here
        Assert.Empty(Ids((await repo.Api.GetAsync(route + "?since=2999-01-01T00:00:00Z")).Json));
        Assert.Equal(2, Ids((await repo.Api.GetAsync(route + "?until=2999-01-01T00:00:00Z")).Json).Count);
        Assert.Equal([repo.Second], Ids((await repo.Api.GetAsync(route + $"?ref_name={repo.First}..main")).Json));

        var (missing, error, _) = await repo.Api.GetAsync(route + "?ref_name=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("404 Reference Not Found", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?ref_name=--output%3D%2Ftmp%2Fx")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.GetAsync(route + "?since=yesterday-ish")).Status);
    }

    [Fact]
    public async Task One_commit_has_its_stats_and_its_diff_against_the_first_parent()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/commits";
        var (status, commit, _) = await repo.Api.GetAsync($"{route}/{repo.Second}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Second commit", commit.GetProperty("title").GetString());
        Assert.Equal(1, commit.GetProperty("stats").GetProperty("additions").GetInt32());
        Assert.Equal(1, commit.GetProperty("stats").GetProperty("deletions").GetInt32());
        Assert.Equal(repo.Project, commit.GetProperty("project_id").GetInt64());
        Assert.Equal(repo.First, (await repo.Api.GetAsync($"{route}/feature%2Fone")).Json.GetProperty("id").GetString());

        var (_, diff, _) = await repo.Api.GetAsync($"{route}/{repo.Second}/diff");
        var file = Assert.Single(diff.EnumerateArray());
        Assert.Equal("src/app.txt", file.GetProperty("new_path").GetString());
        Assert.Equal("100644", file.GetProperty("a_mode").GetString());
        Assert.False(file.GetProperty("new_file").GetBoolean());
        Assert.StartsWith("@@ -1 +1 @@\n-one\n+two\n", file.GetProperty("diff").GetString(), StringComparison.Ordinal);

        var (_, root, _) = await repo.Api.GetAsync($"{route}/{repo.First}/diff");
        Assert.Equal(["README.md", "src/app.txt"], root.EnumerateArray().Select(f => f.GetProperty("new_path").GetString()));
        Assert.All(root.EnumerateArray(), f => Assert.True(f.GetProperty("new_file").GetBoolean()));
        Assert.Equal("0", root[0].GetProperty("a_mode").GetString());

        var (missing, error, _) = await repo.Api.GetAsync($"{route}/0123456789abcdef0123456789abcdef01234567");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("404 Commit Not Found", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync($"{route}/--help/diff")).Status);
    }

    [Fact]
    public async Task A_rename_and_a_deletion_are_shown_as_gitlab_shows_them()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        repo.Git.Ok("mv", "src/app.txt", "src/renamed.txt");
        repo.Git.Ok("rm", "--quiet", "README.md");
        var sha = repo.Git.Commit("Rename and delete");
        repo.Git.Ok("push", "--quiet", repo.Remote, "main");

        var (_, diff, _) = await repo.Api.GetAsync($"projects/{repo.Project}/repository/commits/{sha}/diff");
        var files = diff.EnumerateArray().ToList();
        var deleted = files.Single(f => f.GetProperty("old_path").GetString() == "README.md");
        Assert.True(deleted.GetProperty("deleted_file").GetBoolean());
        Assert.Equal("0", deleted.GetProperty("b_mode").GetString());
        var renamed = files.Single(f => f.GetProperty("old_path").GetString() == "src/app.txt");
        Assert.True(renamed.GetProperty("renamed_file").GetBoolean());
        Assert.Equal("src/renamed.txt", renamed.GetProperty("new_path").GetString());
        Assert.Equal("", renamed.GetProperty("diff").GetString());
    }

    private static List<string?> Ids(JsonElement list) => list.EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
}
