using System.Globalization;
using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>python-gitlab's <c>gitlab</c> CLI against the repository API: branches and tags, listed, read, created and deleted.</summary>
public sealed class RepositoryCliTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_lists_reads_creates_and_deletes_branches_and_tags()
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
