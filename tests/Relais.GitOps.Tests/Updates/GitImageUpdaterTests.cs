using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;
using Relais.Pipelines.Yaml;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Updates;

/// <summary>Update commits against real local repositories: setters, message, author, push branch, a concurrent push.</summary>
public sealed class GitImageUpdaterTests : IDisposable
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
          namespace: prod
        spec:
          replicas: 1
          template:
            spec:
              containers:
                - name: app
                  image: registry.example.com/group/app:1.0.0 # {"$imagepolicy": "flux-system:app"}

        """;

    private static readonly Dictionary<string, PolicyImage> Latest = new() { ["flux-system:app"] = new("registry.example.com/group/app", "1.0.1") };

    private readonly TempDirectory _temp = new();
    private readonly string _bare;
    private readonly string _clone;

    public GitImageUpdaterTests()
    {
        _clone = _temp.Combine("clone");
        TestGit.InitRepository(_clone, ("deploy/app.yaml", Deployment), ("other/app.yaml", Deployment));
        _bare = _temp.Combine("origin.git");
        TestGit.Run(_temp.Path, "clone", "-q", "--bare", _clone, _bare);
        TestGit.Run(_clone, "remote", "add", "origin", _bare);
        TestGit.Run(_clone, "fetch", "-q", "origin");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Commits_the_setters_changes_under_the_update_path_once_and_pushes_them()
    {
        var before = TestGit.Run(_bare, "rev-parse", "main");
        var now = new DateTimeOffset(2026, 12, 8, 1, 2, 3, TimeSpan.Zero);
        var time = new FixedTime(now);
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, time);
        var result = await updater.UpdateAsync(Automation(path: "./deploy"), Source(), Latest, default);

        Assert.Equal(TestGit.Run(_bare, "rev-parse", "main"), result.Commit);
        Assert.Equal("main", result.Branch);
        Assert.Equal(before, TestGit.Run(_bare, "rev-parse", "main~1"));
        var change = Assert.Single(Assert.Single(result.Changes, c => c.File == "deploy/app.yaml").Changes);
        Assert.Equal(new SetterChange(12, "flux-system:app", "registry.example.com/group/app:1.0.0", "registry.example.com/group/app:1.0.1"), change);
        Assert.Equal(Deployment.Replace("app:1.0.0", "app:1.0.1", StringComparison.Ordinal), TestGit.Run(_bare, "show", "main:deploy/app.yaml") + "\n");
        Assert.Equal(Deployment, TestGit.Run(_bare, "show", "main:other/app.yaml") + "\n");
        Assert.Equal("Update from image update automation\n\n[ci skip]", TestGit.Run(_bare, "log", "-1", "--format=%B", "main"));
        Assert.Equal($"Flux <flux@example.com> Flux <flux@example.com> {now.ToUnixTimeSeconds()}", TestGit.Run(_bare, "log", "-1", "--format=%an <%ae> %cn <%ce> %ct", "main"));
        Assert.Equal("Update from image update automation\n\n[ci skip]\n", result.Message);

        var again = await updater.UpdateAsync(Automation(path: "./deploy"), Source(), Latest, default);
        Assert.Equal(UpdateResult.None, again);
        Assert.Equal(result.Commit, TestGit.Run(_bare, "rev-parse", "main"));
    }

    [Fact]
    public async Task Pushes_to_a_separate_branch_and_builds_on_it_when_it_exists()
    {
        var main = TestGit.Run(_bare, "rev-parse", "main");
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        var automation = Automation(push: "image-updates", template: "Bump {{ range .Changed.Changes }}{{ .NewValue }} {{ end }}", ciSkip: false);
        var first = await updater.UpdateAsync(automation, Source(), Latest, default);
        Assert.Equal("image-updates", first.Branch);
        Assert.Equal(main, TestGit.Run(_bare, "rev-parse", "main"));
        Assert.Equal(main, TestGit.Run(_bare, "rev-parse", "image-updates~1"));
        Assert.Equal("Bump registry.example.com/group/app:1.0.1 registry.example.com/group/app:1.0.1", TestGit.Run(_bare, "log", "-1", "--format=%B", "image-updates"));

        var second = await updater.UpdateAsync(automation, Source(), new Dictionary<string, PolicyImage> { ["flux-system:app"] = new("registry.example.com/group/app", "1.1.0") }, default);
        Assert.Equal(first.Commit, TestGit.Run(_bare, "rev-parse", "image-updates~1"));
        Assert.Equal(second.Commit, TestGit.Run(_bare, "rev-parse", "image-updates"));
        Assert.Equal(["deploy/app.yaml", "other/app.yaml"], second.Changes.Select(c => c.File));
        Assert.Equal("registry.example.com/group/app:1.0.1", second.Changes[0].Changes[0].OldValue);
    }

    [Fact]
    public async Task A_push_that_lost_a_race_is_redone_on_the_new_tip_never_forced()
    {
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        var attempts = new List<int>();
        string? theirs = null;
        updater.BeforePush = attempt =>
        {
            attempts.Add(attempt);
            if (attempt == 1)
            {
                // Someone else pushes between our fetch and our push: a change on the same file, next to our line.
                var text = File.ReadAllText(Path.Combine(_clone, "deploy/app.yaml")).Replace("replicas: 1", "replicas: 3", StringComparison.Ordinal);
                theirs = TestGit.Commit(_clone, "scale up", ("deploy/app.yaml", text));
                TestGit.Run(_clone, "push", "-q", "origin", "main");
            }

            return Task.CompletedTask;
        };

        var result = await updater.UpdateAsync(Automation(), Source(), Latest, default);
        Assert.Equal([1, 2], attempts);
        Assert.Equal(result.Commit, TestGit.Run(_bare, "rev-parse", "main"));
        Assert.Equal(theirs, TestGit.Run(_bare, "rev-parse", "main~1"));
        var file = TestGit.Run(_bare, "show", "main:deploy/app.yaml");
        Assert.Contains("replicas: 3", file, StringComparison.Ordinal);
        Assert.Contains("app:1.0.1 #", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_concurrent_push_that_made_the_same_update_leaves_nothing_to_commit()
    {
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        string? theirs = null;
        updater.BeforePush = attempt =>
        {
            if (attempt == 1)
            {
                theirs = TestGit.Commit(_clone, "bump by hand",
                    ("deploy/app.yaml", Deployment.Replace("app:1.0.0", "app:1.0.1", StringComparison.Ordinal)),
                    ("other/app.yaml", Deployment.Replace("app:1.0.0", "app:1.0.1", StringComparison.Ordinal)));
                TestGit.Run(_clone, "push", "-q", "origin", "main");
            }

            return Task.CompletedTask;
        };

        Assert.Equal(UpdateResult.None, await updater.UpdateAsync(Automation(), Source(), Latest, default));
        Assert.Equal(theirs, TestGit.Run(_bare, "rev-parse", "main"));
    }

    [Fact]
    public async Task Gives_up_after_five_rejected_pushes()
    {
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        var n = 0;
        updater.BeforePush = _ =>
        {
            TestGit.Commit(_clone, "busy " + n++, ("busy.txt", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            TestGit.Run(_clone, "push", "-q", "origin", "main");
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => updater.UpdateAsync(Automation(), Source(), Latest, default));
        Assert.StartsWith($"{_bare}: push rejected (git push: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; gave up after 5 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, n);
        Assert.Equal("busy 4", TestGit.Run(_bare, "log", "-1", "--format=%s", "main"));
    }

    [Fact]
    public async Task Without_a_branch_to_check_out_says_where_to_set_one()
    {
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        var error = await Assert.ThrowsAsync<GitSourceException>(() => updater.UpdateAsync(Automation(checkout: null), Source(branch: null), Latest, default));
        Assert.Equal($"{_bare}: flux-system/images has no branch to check out: set spec.git.checkout.ref.branch or the GitRepository's spec.ref.branch", error.Message);
        var unknown = await Assert.ThrowsAsync<GitSourceException>(() => updater.UpdateAsync(Automation(checkout: "gone"), Source(), Latest, default));
        Assert.Equal($"{_bare}: unknown branch \"gone\"", unknown.Message);
    }

    [Fact]
    public async Task Never_writes_outside_the_repository_or_through_a_link()
    {
        var outside = _temp.Write("outside/app.yaml", Deployment);
        File.CreateSymbolicLink(Path.Combine(_clone, "linked"), Path.GetDirectoryName(outside)!);
        File.CreateSymbolicLink(Path.Combine(_clone, "deploy", "linked.yaml"), outside);
        TestGit.Commit(_clone, "links");
        TestGit.Run(_clone, "push", "-q", "origin", "main");
        var updater = new GitImageUpdater(_temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);

        var escape = await Assert.ThrowsAsync<GitSourceException>(() => updater.UpdateAsync(Automation(path: "../.."), Source(), Latest, default));
        Assert.Equal("update.path \"../..\" is outside the repository", escape.Message);
        var link = await Assert.ThrowsAsync<GitSourceException>(() => updater.UpdateAsync(Automation(path: "./linked"), Source(), Latest, default));
        Assert.Equal("update.path \"./linked\" goes through a symbolic link (linked)", link.Message);

        var result = await updater.UpdateAsync(Automation(path: "./deploy"), Source(), Latest, default);
        Assert.Equal(["deploy/app.yaml"], result.Changes.Select(c => c.File));
        Assert.Equal(Deployment, await File.ReadAllTextAsync(outside));
    }

    private GitRepository Source(string? branch = "main") =>
        new("app", "flux-system", SourceLocation.None, _bare, branch is null ? null : new GitReference(branch, null, null, null, null), TimeSpan.FromMinutes(1), null, null, false);

    private static ImageUpdateAutomation Automation(string path = "./", string? push = null, string? template = null, bool ciSkip = true, string? checkout = "main") =>
        new("images", "flux-system", SourceLocation.None, new ResourceRef("GitRepository", "app", "flux-system", SourceLocation.None),
            TimeSpan.FromMinutes(1), checkout, push, "Flux", "flux@example.com", template, path, "Setters", false)
        { CiSkip = ciSkip };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
