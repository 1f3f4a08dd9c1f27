using System.Globalization;
using System.Text.Json;
using Relais.Server.Tests.Api;

namespace Relais.Server.Tests.Roles;

/// <summary>
/// python-gitlab's CLI sets up a team: root creates users <c>dev</c> and <c>rep</c>, a group, a project in it, and adds
/// them as Developer and Reporter; <c>dev</c> runs a pipeline, <c>rep</c> is refused (403), <c>rep</c> lists the project
/// and a stranger (<c>alice</c>) does not.
/// </summary>
public sealed class GitLabCliTeamTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_builds_a_team_whose_developer_runs_pipelines_and_whose_reporter_cannot()
    {
        await using var api = await ApiFixture.StartAsync();
        var url = api.Server.Host.ExternalUrl;
        var root = Support.TestServer.RootToken;

        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "dev", "rep" })
        {
            var user = await RunJsonAsync(url, root, "user", "create", "--username", name, "--name", name, "--email", name + "@example.com");
            ids[name] = Text(user.GetProperty("id").GetInt64());
            tokens[name] = (await RunJsonAsync(url, root, "user-personal-access-token", "create", "--user-id", ids[name], "--name", "cli", "--scopes", "api"))
                .GetProperty("token").GetString()!;
        }

        var group = await RunJsonAsync(url, root, "group", "create", "--name", "Acme", "--path", "acme");
        var groupId = Text(group.GetProperty("id").GetInt64());
        var project = await RunJsonAsync(url, root, "project", "create", "--name", "app", "--namespace-id", groupId);
        Assert.Equal("acme/app", project.GetProperty("path_with_namespace").GetString());
        var projectId = project.GetProperty("id").GetInt64();
        await Support.StoredConfigs.SaveAsync(api.Server, projectId, "build:\n  script: [echo hi]\n");
        await RunJsonAsync(url, root, "group-member", "create", "--group-id", groupId, "--user-id", ids["dev"], "--access-level", "30");
        await RunJsonAsync(url, root, "group-member", "create", "--group-id", groupId, "--user-id", ids["rep"], "--access-level", "20");
        var members = await RunJsonAsync(url, root, "group-member", "list", "--group-id", groupId);
        Assert.Equal(["dev", "rep", "root"], members.EnumerateArray().Select(m => m.GetProperty("username").GetString()!).Order(StringComparer.Ordinal));

        var pipeline = await RunJsonAsync(url, tokens["dev"], "project-pipeline", "create", "--project-id", Text(projectId), "--ref", "main");
        Assert.Equal("main", pipeline.GetProperty("ref").GetString());
        var refused = await GitLabCli.RunAsync(url, tokens["rep"], "project-pipeline", "create", "--project-id", Text(projectId), "--ref", "main");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("403", refused.Out + refused.Err, StringComparison.Ordinal);

        var listed = await RunJsonAsync(url, tokens["rep"], "project", "list", "--membership", "true");
        Assert.Equal(["acme/app"], listed.EnumerateArray().Select(p => p.GetProperty("path_with_namespace").GetString()));
        var strangers = await RunJsonAsync(url, ApiFixture.AliceToken, "project", "list");
        Assert.DoesNotContain(strangers.EnumerateArray(), p => p.GetProperty("id").GetInt64() == projectId);
        var hidden = await GitLabCli.RunAsync(url, ApiFixture.AliceToken, "project", "get", "--id", Text(projectId));
        Assert.Contains("404", hidden.Out + hidden.Err, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunJsonAsync(string url, string token, params string[] args)
    {
        var (code, stdout, stderr) = await GitLabCli.RunAsync(url, token, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout.Trim().Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
