using System.Diagnostics;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;
using Relais.Pipelines.Yaml;
using Relais.TestSupport;
using Xunit.Abstractions;

namespace Relais.GitOps.Tests.Sources;

/// <summary>How long a source fetch and an update run take on local repositories (the figures in docs/gitops.md); runs only with <c>RELAIS_BENCH_GIT=1</c>.</summary>
public sealed class GitTimingsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bench_fetch_and_update_times()
    {
        if (Environment.GetEnvironmentVariable("RELAIS_BENCH_GIT") != "1")
        {
            return;
        }

        using var temp = new TempDirectory();
        var clone = temp.Combine("clone");
        TestGit.InitRepository(clone, ("deploy/app.yaml", "image: r.example.com/app:1.0.0 # {\"$imagepolicy\": \"flux-system:app\"}\n"));
        var bare = temp.Combine("origin.git");
        TestGit.Run(temp.Path, "clone", "-q", "--bare", clone, bare);
        TestGit.Run(clone, "remote", "add", "origin", bare);
        var repository = new GitRepository("app", "flux-system", SourceLocation.None, bare, new GitReference("main", null, null, null, null), TimeSpan.FromMinutes(1), null, null, false);
        var source = new GitSource(temp.Combine("state"), new Dictionary<string, Secret>(), TimeProvider.System);
        var updater = new GitImageUpdater(temp.Combine("state"), new Dictionary<string, Secret>(), null, TimeProvider.System);
        var automation = new ImageUpdateAutomation("images", "flux-system", SourceLocation.None, new ResourceRef("GitRepository", "app", "flux-system", SourceLocation.None),
            TimeSpan.FromMinutes(1), "main", null, null, "bot@example.com", null, "./", "Setters", false);
        await source.FetchAsync(repository, default);

        const int runs = 10;
        var changed = TimeSpan.Zero;
        var unchanged = TimeSpan.Zero;
        var update = TimeSpan.Zero;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await updater.UpdateAsync(automation, repository, new Dictionary<string, PolicyImage> { ["flux-system:app"] = new("r.example.com/app", $"1.0.{i + 1}") }, default);
            update += watch.Elapsed;
            watch.Restart();
            await source.FetchAsync(repository, default);
            changed += watch.Elapsed;
            watch.Restart();
            await source.FetchAsync(repository, default);
            unchanged += watch.Elapsed;
        }

        output.WriteLine($"update run (fetch, edit, commit, push): {update.TotalMilliseconds / runs:0} ms; fetch of a new commit: {changed.TotalMilliseconds / runs:0} ms; unchanged: {unchanged.TotalMilliseconds / runs:0} ms");
    }
}
