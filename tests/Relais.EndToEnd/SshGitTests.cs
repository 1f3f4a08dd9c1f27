using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// Git over SSH end to end: <c>relais serve</c> runs the real OpenSSH sshd, which asks <c>relais ssh-keys</c> about each
/// key and runs <c>relais ssh-git</c> as the forced command; the real ssh client and git talk to it with keys made by
/// ssh-keygen. Skipped (with the reason) where sshd or the client is not installed.
/// </summary>
public sealed class SshGitTests(SshGitServer server) : IClassFixture<SshGitServer>
{
    private const string NotFound = "The project you were looking for could not be found or you don't have permission to view it.";

    [SshFact]
    public async Task Clone_and_push_over_ssh_with_a_user_key_creates_a_pipeline()
    {
        var key = await UserKeyAsync("/user/keys", "root-laptop");
        var work = await NewRepositoryAsync("first");

        var push = await server.GitAsync(key, work, "push", $"{server.SshBase}/root/ssh-app.git", "main");
        Assert.True(push.Code == 0, push.Err + "\n" + server.Server.Output);
        var pipelines = (await server.GetAsync("/api/v4/projects/root%2Fssh-app/pipelines")).EnumerateArray().ToList();
        Assert.Equal("push", Assert.Single(pipelines).GetProperty("source").GetString());
        Assert.Equal($"{server.SshBase}/root/ssh-app.git", (await server.GetAsync("/api/v4/projects/root%2Fssh-app")).GetProperty("ssh_url_to_repo").GetString());

        var clone = Path.Combine(server.Root, "clone-" + Guid.NewGuid().ToString("N")[..6]);
        var cloned = await server.GitAsync(key, server.Root, "clone", $"{server.SshBase}/root/ssh-app.git", clone);
        Assert.True(cloned.Code == 0, cloned.Err);
        Assert.True(File.Exists(Path.Combine(clone, ".gitlab-ci.yml")));

        await File.WriteAllTextAsync(Path.Combine(clone, "second.txt"), "second\n");
        await CommitAsync(clone, "second");
        var again = await server.GitAsync(key, clone, "push", "origin", "main");
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(2, (await server.GetAsync("/api/v4/projects/root%2Fssh-app/pipelines")).GetArrayLength());
    }

    [SshFact]
    public async Task Push_options_over_ssh_skip_the_pipeline_or_give_it_variables()
    {
        var key = await UserKeyAsync("/user/keys", "root-options");
        var work = await NewRepositoryAsync("options");
        var remote = $"{server.SshBase}/root/ssh-options.git";

        var skipped = await server.GitAsync(key, work, "push", "-o", "ci.skip", remote, "main");
        Assert.True(skipped.Code == 0, skipped.Err + "\n" + server.Server.Output);
        await File.WriteAllTextAsync(Path.Combine(work, "second.txt"), "second\n");
        await CommitAsync(work, "second");
        var withVariable = await server.GitAsync(key, work, "push", "-o", "ci.variable=GREETING=hello over ssh", remote, "main");
        Assert.True(withVariable.Code == 0, withVariable.Err);

        var pipelines = (await server.GetAsync("/api/v4/projects/root%2Fssh-options/pipelines")).EnumerateArray().ToList();
        Assert.Equal(["created", "skipped"], pipelines.Select(p => p.GetProperty("status").GetString() == "skipped" ? "skipped" : "created"));
        var latest = pipelines[0].GetProperty("id").GetInt64();
        var variables = await server.GetAsync($"/api/v4/projects/root%2Fssh-options/pipelines/{latest}/variables");
        var variable = Assert.Single(variables.EnumerateArray());
        Assert.Equal(("GREETING", "hello over ssh"), (variable.GetProperty("key").GetString(), variable.GetProperty("value").GetString()));
    }

    [SshFact]
    public async Task A_project_in_a_subgroup_is_pushed_and_cloned_over_ssh_at_its_nested_path()
    {
        var key = await UserKeyAsync("/user/keys", "root-nested");
        var group = await server.PostAsync("/api/v4/groups", new() { ["name"] = "Ssh team", ["path"] = "sshteam" });
        await server.PostAsync("/api/v4/groups", new() { ["name"] = "Web", ["path"] = "web", ["parent_id"] = group.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var work = await NewRepositoryAsync("nested");

        var push = await server.GitAsync(key, work, "push", $"{server.SshBase}/sshteam/web/app.git", "main");
        Assert.True(push.Code == 0, push.Err + "\n" + server.Server.Output);
        Assert.Equal("sshteam/web", (await server.GetAsync("/api/v4/projects/sshteam%2Fweb%2Fapp")).GetProperty("namespace").GetProperty("full_path").GetString());
        var clone = Path.Combine(server.Root, "nested-clone-" + Guid.NewGuid().ToString("N")[..6]);
        var cloned = await server.GitAsync(key, server.Root, "clone", $"{server.SshBase}/sshteam/web/app.git", clone);
        Assert.True(cloned.Code == 0, cloned.Err);
        Assert.True(File.Exists(Path.Combine(clone, ".gitlab-ci.yml")));
    }

    [SshFact]
    public async Task An_unknown_key_is_refused()
    {
        var stranger = await server.NewKeyAsync("stranger");

        var (code, _, err) = await server.SshAsync(stranger);

        Assert.Equal(255, code);
        Assert.Contains("Permission denied (publickey)", err, StringComparison.Ordinal);
    }

    [SshFact]
    public async Task A_deploy_key_clones_read_only_and_a_write_deploy_key_pushes_where_the_protected_branch_lists_it()
    {
        var owner = await UserKeyAsync("/user/keys", "root-deploys");
        var work = await NewRepositoryAsync("deployed");
        Assert.Equal(0, (await server.GitAsync(owner, work, "push", $"{server.SshBase}/root/deployed.git", "main")).Code);
        var reader = await DeployKeyAsync("root%2Fdeployed", "reader", canPush: false);
        var writer = await DeployKeyAsync("root%2Fdeployed", "writer", canPush: true);

        var clone = Path.Combine(server.Root, "deploy-clone-" + Guid.NewGuid().ToString("N")[..6]);
        var cloned = await server.GitAsync(reader, server.Root, "clone", $"{server.SshBase}/root/deployed.git", clone);
        Assert.True(cloned.Code == 0, cloned.Err);
        await File.WriteAllTextAsync(Path.Combine(clone, "deploy.txt"), "from a deploy key\n");
        await CommitAsync(clone, "deploy");
        var refused = await server.GitAsync(reader, clone, "push", "origin", "main");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("This deploy key does not have write access to this project.", refused.Err, StringComparison.Ordinal);

        // main is protected: a write deploy key pushes there only once the rule lists it (GitLab's allowed_to_push).
        var unlisted = await server.GitAsync(writer, clone, "push", "origin", "main");
        Assert.NotEqual(0, unlisted.Code);
        Assert.Contains("remote: GitLab: You are not allowed to push code to protected branches on this project.", unlisted.Err, StringComparison.Ordinal);
        var writerId = (await server.GetAsync("/api/v4/projects/root%2Fdeployed/deploy_keys")).EnumerateArray()
            .Single(k => k.GetProperty("title").GetString() == "writer").GetProperty("id").GetInt64();
        using (var listed = await server.Api.PatchAsync(
            "/api/v4/projects/root%2Fdeployed/protected_branches/main",
            System.Net.Http.Json.JsonContent.Create(new { allowed_to_push = new[] { new { deploy_key_id = writerId } } })))
        {
            Assert.True(listed.IsSuccessStatusCode, await listed.Content.ReadAsStringAsync());
        }

        var pushed = await server.GitAsync(writer, clone, "push", "origin", "main");
        Assert.True(pushed.Code == 0, pushed.Err);
        Assert.Equal(2, (await server.GetAsync("/api/v4/projects/root%2Fdeployed/pipelines")).GetArrayLength());

        // Another private project, where the key is not enabled, does not exist for it.
        Assert.Equal(0, (await server.GitAsync(owner, work, "push", $"{server.SshBase}/root/elsewhere.git", "main")).Code);
        var elsewhere = await server.GitAsync(writer, server.Root, "ls-remote", $"{server.SshBase}/root/elsewhere.git");
        Assert.Contains(NotFound, elsewhere.Err, StringComparison.Ordinal);
    }

    [SshFact]
    public async Task Another_users_private_project_could_not_be_found()
    {
        var owner = await UserKeyAsync("/user/keys", "root-private");
        var work = await NewRepositoryAsync("private");
        Assert.Equal(0, (await server.GitAsync(owner, work, "push", $"{server.SshBase}/root/private-app.git", "main")).Code);
        var name = "alice" + Guid.NewGuid().ToString("N")[..6];
        var alice = await server.PostAsync("/api/v4/users", new() { ["username"] = name, ["name"] = "Alice", ["email"] = name + "@example.com" });
        var aliceKey = await UserKeyAsync($"/users/{alice.GetProperty("id").GetInt64()}/keys", "alice");

        var clone = await server.GitAsync(aliceKey, server.Root, "clone", $"{server.SshBase}/root/private-app.git", Path.Combine(server.Root, "stolen-" + name));
        var push = await server.GitAsync(aliceKey, work, "push", $"{server.SshBase}/root/private-app.git", "main");

        Assert.NotEqual(0, clone.Code);
        Assert.Contains(NotFound, clone.Err, StringComparison.Ordinal);
        Assert.Contains(NotFound, push.Err, StringComparison.Ordinal);
        Assert.Equal("Welcome to Relais, @" + name + "!", (await server.SshAsync(aliceKey)).Out.Trim());
    }

    [SshFact]
    public async Task A_blocked_users_key_is_refused()
    {
        var name = "bob" + Guid.NewGuid().ToString("N")[..6];
        var bob = await server.PostAsync("/api/v4/users", new() { ["username"] = name, ["name"] = "Bob", ["email"] = name + "@example.com" });
        var id = bob.GetProperty("id").GetInt64();
        var key = await UserKeyAsync($"/users/{id}/keys", "bob");
        Assert.Equal("Welcome to Relais, @" + name + "!", (await server.SshAsync(key)).Out.Trim());

        using var blocked = await server.Api.PostAsync($"/api/v4/users/{id}/block", null);
        Assert.True(blocked.IsSuccessStatusCode, await blocked.Content.ReadAsStringAsync());
        var (code, _, err) = await server.SshAsync(key);

        Assert.Equal(255, code);
        Assert.Contains("Permission denied (publickey)", err, StringComparison.Ordinal);
    }

    [SshFact]
    public async Task A_command_that_is_not_git_is_refused_without_a_shell()
    {
        var key = await UserKeyAsync("/user/keys", "root-shell");

        var (code, output, err) = await server.SshAsync(key, "echo", "pwned;", "id;", "git-upload-pack", "root/ssh-app.git");
        var interactive = await server.SshAsync(key);

        Assert.Equal(1, code);
        Assert.Contains("ERROR: Disallowed command", err, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", output, StringComparison.Ordinal);
        Assert.DoesNotContain("uid=", output, StringComparison.Ordinal);
        Assert.Equal(0, interactive.Code);
        Assert.Equal("Welcome to Relais, @root!", interactive.Out.Trim());
    }

    [SshFact]
    public async Task The_internal_endpoint_answers_nothing_without_the_shell_secret()
    {
        var key = await UserKeyAsync("/user/keys", "root-internal");
        var parts = (await File.ReadAllTextAsync(key + ".pub")).Split(' ');
        var query = $"/api/v4/internal/ssh/authorized_keys?key_type={parts[0]}&key={Uri.EscapeDataString(parts[1])}";
        var secret = (await File.ReadAllTextAsync(server.ShellSecretPath())).Trim();
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(query)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, HttpMethod.Get, query, "0" + secret[1..])).StatusCode);
        using var allowed = await SendAsync(anonymous, HttpMethod.Post, "/api/v4/internal/ssh/allowed", null, new() { ["key_id"] = "1", ["action"] = "git-receive-pack", ["project"] = "root/ssh-app" });
        Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        Assert.DoesNotContain("token", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A made-up relay token on the smart HTTP side is no credential either.
        var forged = new HttpRequestMessage(HttpMethod.Get, "/root/ssh-app.git/info/refs?service=git-receive-pack");
        forged.Headers.Authorization = new("Basic", Convert.ToBase64String("relais-ssh:1.w.9999999999.AAAA"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(forged)).StatusCode);

        using var known = await SendAsync(anonymous, HttpMethod.Get, query, secret);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(parts[0] + " " + parts[1], JsonDocument.Parse(await known.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString());
    }

    [SshFact]
    public async Task Sshd_starts_again_after_being_killed()
    {
        var key = await UserKeyAsync("/user/keys", "root-restart");
        var pidFile = Path.Combine(server.DataDir, "ssh", "sshd.pid");
        var first = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);

        using (var sshd = Process.GetProcessById(first))
        {
            sshd.Kill();
        }

        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = File.Exists(pidFile) ? (await File.ReadAllTextAsync(pidFile)).Trim() : "";
            if (text.Length > 0 && text != first.ToString(System.Globalization.CultureInfo.InvariantCulture) && (await server.SshAsync(key)).Out.Contains("Welcome to Relais", StringComparison.Ordinal))
            {
                break;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "sshd did not come back:\n" + server.Server.Output);
            await Task.Delay(200);
        }

        Assert.Contains("sshd exited", server.Server.Output, StringComparison.Ordinal);
        await server.PinHostKeysAsync(); // the same host keys: the pinned known_hosts still matches
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? secret, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (secret is not null)
        {
            request.Headers.Add("Relais-Shell-Secret", secret);
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A new key added through <paramref name="route"/> (under /api/v4) by root; returns its private key's path.</summary>
    private async Task<string> UserKeyAsync(string route, string title)
    {
        var key = await server.NewKeyAsync(title);
        await server.PostAsync("/api/v4" + route, new() { ["title"] = title, ["key"] = await File.ReadAllTextAsync(key + ".pub") });
        return key;
    }

    private async Task<string> DeployKeyAsync(string project, string title, bool canPush)
    {
        var key = await server.NewKeyAsync(title);
        await server.PostAsync($"/api/v4/projects/{project}/deploy_keys", new()
        {
            ["title"] = title, ["key"] = await File.ReadAllTextAsync(key + ".pub"), ["can_push"] = canPush ? "true" : "false",
        });
        return key;
    }

    private async Task<string> NewRepositoryAsync(string name)
    {
        var work = Path.Combine(server.Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["init", "-q", "-b", "main", work])).Code);
        await File.WriteAllTextAsync(Path.Combine(work, ".gitlab-ci.yml"), "build:\n  script: echo built\n");
        await CommitAsync(work, "first");
        return work;
    }

    private static async Task CommitAsync(string work, string message)
    {
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["add", "-A"], work)).Code);
        var commit = await SshGitServer.RunAsync("git", ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", message], work);
        Assert.True(commit.Code == 0, commit.Err);
    }
}
