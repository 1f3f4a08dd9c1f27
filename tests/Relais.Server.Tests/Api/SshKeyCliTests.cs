using System.Globalization;
using System.Text.Json;
using Relais.Server.Tests.Ssh;
using Relais.TestSupport;

namespace Relais.Server.Tests.Api;

/// <summary>python-gitlab's CLI, a client no one here wrote, manages user keys and deploy keys.</summary>
public sealed class SshKeyCliTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_creates_lists_and_deletes_user_keys_and_deploy_keys()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var url = api.Server.Host.ExternalUrl;
        var (userKey, deployKey) = (await SshKeygen.NewPublicKeyAsync(dir, "ed25519"), await SshKeygen.NewPublicKeyAsync(dir, "rsa", 3072));

        var created = await RunJsonAsync(url, ApiFixture.AliceToken, "current-user-key", "create", "--title", "laptop", "--key", userKey);
        var keyId = Text(created.GetProperty("id").GetInt64());
        var mine = await RunJsonAsync(url, ApiFixture.AliceToken, "current-user-key", "list");
        Assert.Equal(userKey, mine.EnumerateArray().Single().GetProperty("key").GetString());
        var theirs = await RunJsonAsync(url, Support.TestServer.RootToken, "user-key", "list", "--user-id", "2");
        Assert.Equal("laptop", theirs.EnumerateArray().Single().GetProperty("title").GetString());
        var deleted = await GitLabCli.RunAsync(url, ApiFixture.AliceToken, "current-user-key", "delete", "--id", keyId);
        Assert.True(deleted.Code == 0, deleted.Err);
        Assert.Empty((await RunJsonAsync(url, ApiFixture.AliceToken, "current-user-key", "list")).EnumerateArray());

        var project = Text(await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}"));
        var deploy = await RunJsonAsync(url, Support.TestServer.RootToken, "project-key", "create", "--project-id", project, "--title", "ci", "--key", deployKey, "--can-push", "true");
        Assert.Equal(await SshKeygen.FingerprintAsync(dir, deployKey), deploy.GetProperty("fingerprint_sha256").GetString());
        var listed = await RunJsonAsync(url, Support.TestServer.RootToken, "project-key", "list", "--project-id", project);
        Assert.True(listed.EnumerateArray().Single().GetProperty("can_push").GetBoolean());
        Assert.Single((await RunJsonAsync(url, Support.TestServer.RootToken, "deploy-key", "list")).EnumerateArray());
        var removed = await GitLabCli.RunAsync(url, Support.TestServer.RootToken, "project-key", "delete", "--project-id", project, "--id", Text(deploy.GetProperty("id").GetInt64()));
        Assert.True(removed.Code == 0, removed.Err);
        Assert.Empty((await RunJsonAsync(url, Support.TestServer.RootToken, "project-key", "list", "--project-id", project)).EnumerateArray());

        var refused = await GitLabCli.RunAsync(url, ApiFixture.AliceToken, "current-user-key", "create", "--title", "bad", "--key", "ssh-ed25519 AAAA");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("is invalid", refused.Out + refused.Err, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunJsonAsync(string url, string token, params string[] args)
    {
        var (code, stdout, stderr) = await GitLabCli.RunAsync(url, token, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
