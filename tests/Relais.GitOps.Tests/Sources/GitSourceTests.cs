using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.Pipelines.Yaml;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Sources;

/// <summary>The git source against real local repositories: each kind of reference, unchanged commits and git's errors.</summary>
public sealed class GitSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _bare;
    private readonly string _clone;

    public GitSourceTests()
    {
        _clone = _temp.Combine("clone");
        TestGit.InitRepository(_clone, ("deploy/app.yaml", "image: app:1.0.0\n"));
        _bare = _temp.Combine("origin.git");
        TestGit.Run(_temp.Path, "clone", "-q", "--bare", _clone, _bare);
        TestGit.Run(_clone, "remote", "add", "origin", _bare);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Follows_a_branch_and_checks_out_only_a_changed_commit()
    {
        var source = NewSource();
        var first = await source.FetchAsync(Repository(new GitReference("main", null, null, null, null)), default);
        Assert.Equal(TestGit.Run(_bare, "rev-parse", "main"), first.Commit);
        Assert.Equal($"main@sha1:{first.Commit}", first.Revision);
        Assert.Equal("main", first.Branch);
        Assert.Equal("flux-system/app", first.RepositoryKey);
        Assert.Equal("image: app:1.0.0\n", await File.ReadAllTextAsync(Path.Combine(first.Directory, "deploy/app.yaml")));
        Assert.False(Directory.Exists(Path.Combine(first.Directory, ".git")));

        var marker = Path.Combine(first.Directory, "seen");
        await File.WriteAllTextAsync(marker, "");
        var again = await source.FetchAsync(Repository(new GitReference("main", null, null, null, null)), default);
        Assert.Equal(first, again);
        Assert.True(File.Exists(marker), "an unchanged commit is not checked out again");

        var next = Push(("deploy/app.yaml", "image: app:1.0.1\n"));
        var second = await source.FetchAsync(Repository(new GitReference("main", null, null, null, null)), default);
        Assert.Equal(next, second.Commit);
        Assert.NotEqual(first.Directory, second.Directory);
        Assert.Equal("image: app:1.0.1\n", await File.ReadAllTextAsync(Path.Combine(second.Directory, "deploy/app.yaml")));
    }

    [Fact]
    public async Task Resolves_tags_semver_ranges_full_ref_names_and_commits_in_Fluxs_precedence()
    {
        var v100 = TestGit.Run(_clone, "rev-parse", "HEAD");
        TestGit.Run(_clone, "tag", "-a", "-m", "release", "v1.0.0");
        var v110 = Push(("deploy/app.yaml", "image: app:1.1.0\n"));
        TestGit.Run(_clone, "tag", "v1.1.0");
        var v200 = Push(("deploy/app.yaml", "image: app:2.0.0\n"));
        TestGit.Run(_clone, "tag", "v2.0.0-rc.1");
        TestGit.Run(_clone, "push", "-q", "origin", "--tags");
        var source = NewSource();

        var tag = await source.FetchAsync(Repository(new GitReference(null, "v1.0.0", null, null, null)), default);
        Assert.Equal((v100, $"v1.0.0@sha1:{v100}", (string?)null), (tag.Commit, tag.Revision, tag.Branch));

        var semver = await source.FetchAsync(Repository(new GitReference("main", "v1.0.0", ">=1.0.0 <2.0.0", null, null)), default);
        Assert.Equal((v110, $"v1.1.0@sha1:{v110}"), (semver.Commit, semver.Revision));
        Assert.Equal("image: app:1.1.0\n", await File.ReadAllTextAsync(Path.Combine(semver.Directory, "deploy/app.yaml")));

        var name = await source.FetchAsync(Repository(new GitReference(null, "v1.0.0", "*", "refs/heads/main", null)), default);
        Assert.Equal((v200, $"refs/heads/main@sha1:{v200}"), (name.Commit, name.Revision));

        var commit = await source.FetchAsync(Repository(new GitReference("main", null, null, "refs/heads/main", v110)), default);
        Assert.Equal((v110, $"main@sha1:{v110}"), (commit.Commit, commit.Revision));
        var bare = await source.FetchAsync(Repository(new GitReference(null, null, null, null, v100)), default);
        Assert.Equal($"sha1:{v100}", bare.Revision);
    }

    [Fact]
    public async Task Without_a_reference_follows_the_remotes_default_branch()
    {
        var artifact = await NewSource().FetchAsync(Repository(null), default);
        Assert.Equal("main", artifact.Branch);
    }

    [Fact]
    public async Task Errors_name_the_repository_and_gits_reason()
    {
        var source = NewSource();
        var branch = await Assert.ThrowsAsync<GitSourceException>(() => source.FetchAsync(Repository(new GitReference("nope", null, null, null, null)), default));
        Assert.Equal($"{_bare}: unknown branch \"nope\"", branch.Message);

        var semver = await Assert.ThrowsAsync<GitSourceException>(() => source.FetchAsync(Repository(new GitReference(null, null, ">=5.0.0", null, null)), default));
        Assert.Contains("no tag matches the semver range \">=5.0.0\"", semver.Message, StringComparison.Ordinal);

        var commit = await Assert.ThrowsAsync<GitSourceException>(() => source.FetchAsync(Repository(new GitReference("main", null, null, null, new string('a', 40))), default));
        Assert.Contains("unknown commit", commit.Message, StringComparison.Ordinal);

        var missing = _temp.Combine("missing.git");
        var notFound = await Assert.ThrowsAsync<GitSourceException>(() => source.FetchAsync(Repository(null, missing), default));
        Assert.StartsWith($"{missing}: repository not found (git ls-remote: ", notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssh_without_known_hosts_is_refused_as_Flux_does()
    {
        var secrets = new Dictionary<string, Secret>
        {
            ["flux-system/deploy-key"] = new("deploy-key", "flux-system", SourceLocation.None, new Dictionary<string, string> { ["identity"] = "KEY" }),
        };
        var source = new GitSource(_temp.Combine("state"), secrets, TimeProvider.System);
        var repository = Repository(null, "ssh://git@localhost:2222/group/app.git") with
        {
            SecretRef = new ResourceRef("Secret", "deploy-key", "flux-system", SourceLocation.None),
        };
        var error = await Assert.ThrowsAsync<GitSourceException>(() => source.FetchAsync(repository, default));
        Assert.Equal("ssh://git@localhost:2222/group/app.git: SSH needs the host's key: put known_hosts in the GitRepository's secretRef (as Flux requires)", error.Message);
        Assert.False(Directory.Exists(_temp.Combine("state", "tmp")) && Directory.EnumerateFileSystemEntries(_temp.Combine("state", "tmp")).Any());
    }

    [Fact]
    public async Task A_git_call_longer_than_the_timeout_is_stopped_with_a_clear_error()
    {
        // A server that accepts the connection and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/group/app.git";
        var repository = Repository(null, url) with { Timeout = TimeSpan.FromMilliseconds(500) };
        var started = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GitSourceException>(() => NewSource().FetchAsync(repository, default));
        Assert.Equal($"{url}: git ls-remote timed out after 0.5s", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }

    private GitSource NewSource() => new(_temp.Combine("state"), new Dictionary<string, Secret>(), TimeProvider.System);

    private GitRepository Repository(GitReference? reference, string? url = null) =>
        new("app", "flux-system", SourceLocation.None, url ?? _bare, reference, TimeSpan.FromMinutes(1), null, null, false);

    private string Push(params (string Path, string Content)[] files)
    {
        var commit = TestGit.Commit(_clone, "change", files);
        TestGit.Run(_clone, "push", "-q", "origin", "main");
        return commit;
    }
}
