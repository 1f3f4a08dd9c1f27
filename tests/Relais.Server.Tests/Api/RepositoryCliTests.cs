using System.Globalization;
using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>python-gitlab's <c>gitlab</c> CLI against the repository API: branches and tags changed, commits, trees and files read.</summary>
public sealed class RepositoryCliTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_reads_and_changes_branches_and_tags_and_reads_commits_trees_and_files()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var url = repo.Api.Server.Host.ExternalUrl;
        var id = repo.Project.ToString(CultureInfo.InvariantCulture);

        var branches = await RunJsonAsync(url, "project-branch", "list", "--project-id", id);
        Assert.Equal(["feature/one", "main"], branches.EnumerateArray().Select(b => b.GetProperty("name").GetString()));

        var feature = await RunJsonAsync(url, "project-branch", "get", "--project-id", id, "--name", "feature/one");
        Assert.Equal(repo.First, feature.GetProperty("commit").GetProperty("id").GetString());

        var created = await RunJsonAsync(url, "project-branch", "create", "--project-id", id, "--branch", "cli/new", "--ref", "main");
        Assert.Equal(repo.Second, created.GetProperty("commit").GetProperty("id").GetString());
        await RunAsync(url, "project-branch", "delete", "--project-id", id, "--name", "cli/new");
        Assert.Equal(2, (await RunJsonAsync(url, "project-branch", "list", "--project-id", id)).GetArrayLength());

        var tag = await RunJsonAsync(url, "project-tag", "create", "--project-id", id, "--tag-name", "v1.0", "--ref", "main", "--message", "First release");
        Assert.Equal("First release", tag.GetProperty("message").GetString());
        Assert.Equal("v1.0", (await RunJsonAsync(url, "project-tag", "list", "--project-id", id))[0].GetProperty("name").GetString());
        Assert.Equal(repo.Second, (await RunJsonAsync(url, "project-tag", "get", "--project-id", id, "--name", "v1.0")).GetProperty("commit").GetProperty("id").GetString());
        await RunAsync(url, "project-tag", "delete", "--project-id", id, "--name", "v1.0");
        Assert.Equal(0, (await RunJsonAsync(url, "project-tag", "list", "--project-id", id)).GetArrayLength());

        var commits = await RunJsonAsync(url, "project-commit", "list", "--project-id", id);
        Assert.Equal([repo.Second, repo.First], commits.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("Second commit", (await RunJsonAsync(url, "project-commit", "get", "--project-id", id, "--id", repo.Second)).GetProperty("title").GetString());
        Assert.Contains("+two", await RunAsync(url, "project-commit", "diff", "--project-id", id, "--id", repo.Second), StringComparison.Ordinal);

        var tree = await RunJsonAsync(url, "project", "repository-tree", "--id", id, "--recursive", "true");
        Assert.Contains(tree.EnumerateArray(), e => e.GetProperty("path").GetString() == "src/app.txt");
        var file = await RunJsonAsync(url, "project-file", "get", "--project-id", id, "--file-path", "src/app.txt", "--ref", "main");
        Assert.Equal("dHdvCg==", file.GetProperty("content").GetString());
        Assert.Equal("one\n", await RunAsync(url, "project-file", "raw", "--project-id", id, "--file-path", "src/app.txt", "--ref", "feature/one"));
    }

    private static async Task<string> RunAsync(string url, params string[] args)
    {
        var (code, stdout, stderr) = await GitLabCli.RunAsync(url, Support.TestServer.RootToken, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    private static async Task<JsonElement> RunJsonAsync(string url, params string[] args) =>
        JsonDocument.Parse(await RunAsync(url, args)).RootElement.Clone();
}
