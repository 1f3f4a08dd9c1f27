using System.Diagnostics;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// Issue #13's acceptance, as a team would do it: an administrator's python-gitlab script (the library, a client no one
/// here wrote) creates users, a group, a private and a public project, members with roles, SSH keys and a deploy key;
/// then plain <c>git</c> over the real OpenSSH sshd pushes and clones with each person's own key.
/// </summary>
public sealed class TeamsTests(SshGitServer server) : IClassFixture<SshGitServer>
{
    private const string ProtectedRefusal = "GitLab: You are not allowed to push code to protected branches on this project.";

    private const string SetupScript = """
        import json, sys, gitlab
        from gitlab import const
        url, root_token, dev_pub, rep_pub, deploy_pub = sys.argv[1:6]
        root = gitlab.Gitlab(url, private_token=root_token)
        users = {}
        for name in ("dev", "rep", "outsider"):
            user = root.users.create({"username": name, "name": name.title(), "email": name + "@example.test",
                                      "password": "correct-horse-" + name, "skip_confirmation": True})
            token = user.personal_access_tokens.create({"name": "laptop", "scopes": ["api", "write_repository"]})
            users[name] = {"id": user.id, "token": token.token}
        group = root.groups.create({"name": "Team", "path": "team"})
        app = root.projects.create({"name": "app", "path": "app", "namespace_id": group.id, "visibility": "private"})
        app.members.create({"user_id": users["dev"]["id"], "access_level": const.DEVELOPER_ACCESS})
        app.members.create({"user_id": users["rep"]["id"], "access_level": const.REPORTER_ACCESS})
        root.projects.create({"name": "site", "path": "site", "namespace_id": group.id, "visibility": "public"})
        for name, pub in (("dev", dev_pub), ("rep", rep_pub)):
            own = gitlab.Gitlab(url, private_token=users[name]["token"])
            own.auth()
            own.user.keys.create({"title": name + " laptop", "key": pub})
        app.keys.create({"title": "gitops", "key": deploy_pub, "can_push": False})
        members = sorted([m.username, m.access_level] for m in app.members.list(get_all=True))
        print(json.dumps({"users": users, "ssh_url": app.ssh_url_to_repo, "members": members}))
        """;

    private const string VisibleScript = """
        import json, sys, gitlab
        client = gitlab.Gitlab(sys.argv[1], private_token=sys.argv[2])
        print(json.dumps(sorted(p.path_with_namespace for p in client.projects.list(get_all=True)), separators=(",", ":")))
        """;

    [SshAndPythonGitLabFact]
    public async Task Root_sets_up_a_team_with_python_gitlab_and_each_member_gets_exactly_their_role_over_ssh()
    {
        var python = PythonGitLab.Interpreter;
        var (devKey, repKey, deployKey, strangerKey) =
            (await server.NewKeyAsync("dev"), await server.NewKeyAsync("rep"), await server.NewKeyAsync("deploy"), await server.NewKeyAsync("stranger"));

        var setup = await RunPythonAsync(python!, SetupScript, server.Url, server.RootToken,
            await PublicKeyAsync(devKey), await PublicKeyAsync(repKey), await PublicKeyAsync(deployKey));
        var sshUrl = setup.GetProperty("ssh_url").GetString()!;
        Assert.Equal($"{server.SshBase}/team/app.git", sshUrl);
        Assert.Equal("""[["dev",30],["rep",20]]""", setup.GetProperty("members").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        string Token(string user) => setup.GetProperty("users").GetProperty(user).GetProperty("token").GetString()!;

        // Root puts the first commit on main (over HTTP with a token); main is protected by default.
        var seed = await NewRepositoryAsync("seed");
        var seeded = await SshGitServer.RunAsync("git", ["push", "-q", $"http://root:{server.RootToken}@127.0.0.1:{server.HttpPort}/team/app.git", "main"], seed);
        Assert.True(seeded.Code == 0, seeded.Err);

        // The Developer clones with their own key, pushes a feature branch, and is refused on protected main.
        var devClone = await CloneAsync(devKey, sshUrl, "dev");
        await CommitFileAsync(devClone, "feature.txt", "by dev\n");
        var feature = await server.GitAsync(devKey, devClone, "push", "origin", "HEAD:refs/heads/feature");
        Assert.True(feature.Code == 0, feature.Err);
        var main = await server.GitAsync(devKey, devClone, "push", "origin", "HEAD:main");
        Assert.NotEqual(0, main.Code);
        Assert.Contains(ProtectedRefusal, main.Err, StringComparison.Ordinal);

        // The Reporter clones but cannot push anywhere.
        var repClone = await CloneAsync(repKey, sshUrl, "rep");
        await CommitFileAsync(repClone, "rep.txt", "by rep\n");
        var repPush = await server.GitAsync(repKey, repClone, "push", "origin", "HEAD:refs/heads/rep-branch");
        Assert.NotEqual(0, repPush.Code);

        // The read-only deploy key clones and cannot push; a key nobody registered gets nothing.
        var deployClone = await CloneAsync(deployKey, sshUrl, "deploy");
        await CommitFileAsync(deployClone, "deploy.txt", "by the deploy key\n");
        var deployPush = await server.GitAsync(deployKey, deployClone, "push", "origin", "HEAD:refs/heads/deploy-branch");
        Assert.NotEqual(0, deployPush.Code);
        Assert.Contains("This deploy key does not have write access to this project.", deployPush.Err, StringComparison.Ordinal);
        var stranger = await server.GitAsync(strangerKey, server.Root, "ls-remote", sshUrl);
        Assert.NotEqual(0, stranger.Code);
        Assert.Contains("Permission denied (publickey)", stranger.Err, StringComparison.Ordinal);

        // Only the feature branch arrived.
        var branches = (await server.GetAsync("/api/v4/projects/team%2Fapp/repository/branches")).EnumerateArray().Select(b => b.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["feature", "main"], branches);

        // Each user sees the projects they are a member of, and public ones.
        Assert.Equal("""["team/app","team/site"]""", (await RunPythonAsync(python!, VisibleScript, server.Url, Token("rep"))).GetRawText());
        Assert.Equal("""["team/site"]""", (await RunPythonAsync(python!, VisibleScript, server.Url, Token("outsider"))).GetRawText());
    }

    private async Task<string> CloneAsync(string key, string url, string who)
    {
        var clone = Path.Combine(server.Root, who + "-clone-" + Guid.NewGuid().ToString("N")[..6]);
        var cloned = await server.GitAsync(key, server.Root, "clone", "-q", url, clone);
        Assert.True(cloned.Code == 0, $"{who} could not clone: {cloned.Err}");
        Assert.True(File.Exists(Path.Combine(clone, ".gitlab-ci.yml")));
        return clone;
    }

    private async Task<string> NewRepositoryAsync(string name)
    {
        var work = Path.Combine(server.Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["init", "-q", "-b", "main", work])).Code);
        await CommitFileAsync(work, ".gitlab-ci.yml", "build:\n  script: echo built\n");
        return work;
    }

    private static async Task CommitFileAsync(string work, string file, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(work, file), text);
        Assert.Equal(0, (await SshGitServer.RunAsync("git", ["add", "-A"], work)).Code);
        var commit = await SshGitServer.RunAsync("git", ["-c", "user.email=team@example.test", "-c", "user.name=Team", "commit", "-q", "-m", "add " + file], work);
        Assert.True(commit.Code == 0, commit.Err);
    }

    private static async Task<string> PublicKeyAsync(string key) => (await File.ReadAllTextAsync(key + ".pub")).Trim();

    private static async Task<JsonElement> RunPythonAsync(string python, string script, params string[] args)
    {
        var (code, stdout, stderr) = await SshGitServer.RunAsync(python, ["-c", script, .. args], environment: new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() });
        Assert.True(code == 0, $"python-gitlab script exited {code}:\n{stderr}{stdout}");
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}

/// <summary>A Python interpreter that has python-gitlab (Debian installs it for the system Python, /usr/bin/python3).</summary>
internal static class PythonGitLab
{
    private static readonly Lazy<string?> Found = new(() => new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(candidate =>
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import gitlab"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.WaitForExit(TimeSpan.FromSeconds(20));
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }));

    public static string? Interpreter => Found.Value;
}

/// <summary>A fact skipped, with the reason, where OpenSSH or python-gitlab is missing.</summary>
public sealed class SshAndPythonGitLabFactAttribute : FactAttribute
{
    public SshAndPythonGitLabFactAttribute()
    {
        Skip = SshTest.SkipReason
            ?? (PythonGitLab.Interpreter is null ? "python-gitlab (Debian python3-gitlab) is not installed; scripts/install-deps.sh installs gitlab-cli, which brings it" : null);
    }
}

/// <summary>A fact skipped, with the reason, where python-gitlab is missing.</summary>
public sealed class PythonGitLabFactAttribute : FactAttribute
{
    public PythonGitLabFactAttribute()
    {
        Skip = PythonGitLab.Interpreter is null ? "python-gitlab (Debian python3-gitlab) is not installed; scripts/install-deps.sh installs gitlab-cli, which brings it" : null;
    }
}
