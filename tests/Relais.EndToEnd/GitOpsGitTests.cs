using System.Text.Json;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;
using Relais.Pipelines.Yaml;

namespace Relais.EndToEnd;

/// <summary>
/// The GitOps git source and update commits against a real <c>relais serve</c>: over HTTP with a personal access token
/// as the password, and over SSH with a deploy key pinned by known_hosts. The update commits' <c>[ci skip]</c> makes the
/// server record a skipped pipeline.
/// </summary>
public sealed class GitOpsGitTests(SshGitServer server) : IClassFixture<SshGitServer>
{
    private const string Manifest = "image: registry.example.com/group/app:1.0.0 # {\"$imagepolicy\": \"flux-system:app\"}\n";

    private static readonly Dictionary<string, PolicyImage> Latest = new() { ["flux-system:app"] = new("registry.example.com/group/app", "1.0.1") };

    [SshFact]
    public async Task Fetches_and_pushes_over_http_with_a_personal_access_token_kept_out_of_urls_files_and_messages()
    {
        var project = "gitops-http-" + Guid.NewGuid().ToString("N")[..6];
        await NewProjectAsync(project);
        var state = Path.Combine(server.Root, "state-" + project);
        var secrets = Secrets(new() { ["username"] = "root", ["password"] = server.RootToken });
        var repository = Repository($"{server.Url}/root/{project}.git");

        var artifact = await new GitSource(state, secrets, TimeProvider.System).FetchAsync(repository, default);
        Assert.Equal(Manifest, await File.ReadAllTextAsync(Path.Combine(artifact.Directory, "deploy/app.yaml")));
        Assert.StartsWith("main@sha1:", artifact.Revision, StringComparison.Ordinal);

        var result = await new GitImageUpdater(state, secrets, null, TimeProvider.System).UpdateAsync(Automation(), repository, Latest, default);
        var head = (await server.GetAsync($"/api/v4/projects/root%2F{project}/repository/branches/main")).GetProperty("commit");
        Assert.Equal(result.Commit, head.GetProperty("id").GetString());
        Assert.Equal("Update from image update automation", head.GetProperty("title").GetString());
        var pipeline = (await server.GetAsync($"/api/v4/projects/root%2F{project}/pipelines")).EnumerateArray().First();
        Assert.Equal((result.Commit, "skipped"), (pipeline.GetProperty("sha").GetString(), pipeline.GetProperty("status").GetString()));

        var written = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/objects/", StringComparison.Ordinal));
        Assert.DoesNotContain(written, f => File.ReadAllText(f).Contains(server.RootToken, StringComparison.Ordinal));

        var wrong = Secrets(new() { ["username"] = "root", ["password"] = "glpat-wrong-token-123" });
        var error = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(state, wrong, TimeProvider.System).FetchAsync(repository, default));
        Assert.StartsWith($"{server.Url}/root/{project}.git: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("glpat-wrong", error.Message, StringComparison.Ordinal);
    }

    [SshFact]
    public async Task Fetches_and_pushes_over_ssh_with_a_deploy_key_and_refuses_an_unknown_host_key()
    {
        var project = "gitops-ssh-" + Guid.NewGuid().ToString("N")[..6];
        await NewProjectAsync(project);
        var key = await server.NewKeyAsync("gitops-" + project);
        await server.PostAsync($"/api/v4/projects/root%2F{project}/deploy_keys", new()
        {
            ["title"] = "gitops", ["key"] = await File.ReadAllTextAsync(key + ".pub"), ["can_push"] = "true",
        });
        var knownHosts = await File.ReadAllTextAsync(Path.Combine(server.Root, "known_hosts"));
        var state = Path.Combine(server.Root, "state-" + project);
        var secrets = Secrets(new() { ["identity"] = await File.ReadAllTextAsync(key), ["known_hosts"] = knownHosts });
        var repository = Repository($"{server.SshBase}/root/{project}.git");

        var artifact = await new GitSource(state, secrets, TimeProvider.System).FetchAsync(repository, default);
        Assert.Equal(Manifest, await File.ReadAllTextAsync(Path.Combine(artifact.Directory, "deploy/app.yaml")));

        // main is protected; the deploy key pushes to a branch of its own for review.
        var result = await new GitImageUpdater(state, secrets, null, TimeProvider.System).UpdateAsync(Automation(push: "image-updates"), repository, Latest, default);
        Assert.Equal(result.Commit, (await server.GetAsync($"/api/v4/projects/root%2F{project}/repository/branches/image-updates")).GetProperty("commit").GetProperty("id").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(state, "tmp")));

        // The server's host named with another key: ssh must refuse it.
        var otherKey = (await File.ReadAllTextAsync(await server.NewKeyAsync("host-" + project) + ".pub")).Split(' ');
        var forged = knownHosts.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(parts => parts.Length >= 3 && parts[1] == "ssh-ed25519")
            .Select(parts => $"{parts[0]} {otherKey[0]} {otherKey[1]}");
        var stranger = Secrets(new() { ["identity"] = await File.ReadAllTextAsync(key), ["known_hosts"] = string.Join('\n', forged) + "\n" });
        var error = await Assert.ThrowsAsync<GitSourceException>(() => new GitSource(state + "-forged", stranger, TimeProvider.System).FetchAsync(repository, default));
        Assert.StartsWith($"{server.SshBase}/root/{project}.git: host key verification failed (check known_hosts)", error.Message, StringComparison.Ordinal);
    }

    private async Task NewProjectAsync(string project)
    {
        var owner = await server.NewKeyAsync("owner-" + project);
        await server.PostAsync("/api/v4/user/keys", new() { ["title"] = "owner-" + project, ["key"] = await File.ReadAllTextAsync(owner + ".pub") });
        var work = Path.Combine(server.Root, "work-" + project);
        Directory.CreateDirectory(Path.Combine(work, "deploy"));
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["init", "-q", "-b", "main", work])).Code);
        await File.WriteAllTextAsync(Path.Combine(work, "deploy/app.yaml"), Manifest);
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["add", "-A"], work)).Code);
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "first"], work)).Code);
        var push = await server.GitAsync(owner, work, "push", $"{server.SshBase}/root/{project}.git", "main");
        Assert.True(push.Code == 0, push.Err);
    }

    private static Dictionary<string, Secret> Secrets(Dictionary<string, string> data) =>
        new() { ["flux-system/git"] = new Secret("git", "flux-system", SourceLocation.None, data) };

    private static GitRepository Repository(string url) =>
        new("app", "flux-system", SourceLocation.None, url, new GitReference("main", null, null, null, null), TimeSpan.FromMinutes(1), null,
            new ResourceRef("Secret", "git", "flux-system", SourceLocation.None), false);

    private static ImageUpdateAutomation Automation(string? push = null) =>
        new("images", "flux-system", SourceLocation.None, new ResourceRef("GitRepository", "app", "flux-system", SourceLocation.None),
            TimeSpan.FromMinutes(1), "main", push, "Flux", "flux@example.com", null, "./", "Setters", false);
}
