using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>python-gitlab's <c>gitlab</c> CLI manages users and their tokens (token rotation is newer than the installed client: <see cref="UserApiTests"/>).</summary>
public sealed class GitLabCliUserTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_creates_lists_updates_blocks_unblocks_and_deletes_users_and_their_tokens()
    {
        await using var api = await ApiFixture.StartAsync();
        var url = api.Server.Host.ExternalUrl;
        var root = Support.TestServer.RootToken;

        var created = await RunJsonAsync(url, root, "user", "create", "--username", "carol", "--name", "Carol C", "--email", "carol@example.com");
        var id = Text(created.GetProperty("id").GetInt64());
        Assert.Equal("carol@example.com", created.GetProperty("email").GetString());

        var listed = await RunJsonAsync(url, root, "user", "list", "--username", "carol");
        Assert.Equal("Carol C", listed.EnumerateArray().Single().GetProperty("name").GetString());

        await RunJsonAsync(url, root, "user", "update", "--id", id, "--username", "carol", "--name", "Carol Changed", "--email", "carol@example.org");
        var got = await RunJsonAsync(url, root, "user", "get", "--id", id);
        Assert.Equal("Carol Changed", got.GetProperty("name").GetString());
        Assert.Equal("carol@example.org", got.GetProperty("email").GetString());

        var token = await RunJsonAsync(url, root, "user-personal-access-token", "create", "--user-id", id, "--name", "cli", "--scopes", "read_api");
        var carolToken = token.GetProperty("token").GetString()!;
        var own = await RunJsonAsync(url, carolToken, "personal-access-token", "list");
        Assert.Equal("cli", own.EnumerateArray().Single().GetProperty("name").GetString());
        var byUser = await RunJsonAsync(url, root, "personal-access-token", "list", "--user-id", id);
        Assert.Single(byUser.EnumerateArray());

        var block = await GitLabCli.RunAsync(url, root, "user", "block", "--id", id);
        Assert.True(block.Code == 0, block.Err + block.Out);
        Assert.Equal("blocked", (await RunJsonAsync(url, root, "user", "get", "--id", id)).GetProperty("state").GetString());
        var refused = await GitLabCli.RunAsync(url, carolToken, "personal-access-token", "list");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("401", refused.Out + refused.Err, StringComparison.Ordinal);

        var unblock = await GitLabCli.RunAsync(url, root, "user", "unblock", "--id", id);
        Assert.True(unblock.Code == 0, unblock.Err + unblock.Out);
        Assert.Equal("active", (await RunJsonAsync(url, root, "user", "get", "--id", id)).GetProperty("state").GetString());

        var delete = await GitLabCli.RunAsync(url, root, "user", "delete", "--id", id);
        Assert.True(delete.Code == 0, delete.Err + delete.Out);
        Assert.DoesNotContain((await RunJsonAsync(url, root, "user", "list")).EnumerateArray(), u => u.GetProperty("username").GetString() == "carol");
    }

    private static async Task<JsonElement> RunJsonAsync(string url, string token, params string[] args)
    {
        var (code, stdout, stderr) = await GitLabCli.RunAsync(url, token, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout.Trim().Length == 0 ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
