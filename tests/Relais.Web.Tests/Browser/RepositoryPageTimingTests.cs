using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relais.Web.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// Measures (prints, never asserts) the repository pages' server time on a repository of some size: 39 entries at
/// the root (each one's last commit looked up), 300 commits, 30 branches, a 20 KiB README, a 5,000-line file and a
/// commit changing every 20th line of it. Run with <c>--logger "console;verbosity=detailed"</c> to see the numbers.
/// </summary>
public sealed class RepositoryPageTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Measure_the_repository_pages()
    {
        await using var server = await WebServer.StartAsync();
        using var dir = new TempDirectory();
        var readme = new StringBuilder("# Big project\n\n");
        while (readme.Length < 20 * 1024)
        {
            readme.Append("Some *text* with a [link](docs/a.md) and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n");
        }

        var files = new List<(string, string)> { ("README.md", readme.ToString()) };
        for (var i = 0; i < 28; i++)
        {
            files.Add(($"file{i:00}.txt", $"file {i}\n"));
        }

        for (var i = 0; i < 9; i++)
        {
            files.Add(($"dir{i}/x.txt", "x\n"));
        }

        files.Add(("big.txt", string.Concat(Enumerable.Range(1, 5000).Select(n => $"line {n} of a long file <with> & markup\n"))));
        TestGit.InitRepository(dir.Path, [.. files]);
        for (var i = 0; i < 298; i++)
        {
            TestGit.Commit(dir.Path, $"Change {i}", ($"file{i % 28:00}.txt", $"file {i % 28} version {i}\n"));
        }

        var big = TestGit.Commit(dir.Path, "Rewrite big.txt", ("big.txt", string.Concat(Enumerable.Range(1, 5000).Select(n => n % 20 == 0 ? $"changed {n}\n" : $"line {n} of a long file <with> & markup\n"))));
        for (var i = 0; i < 29; i++)
        {
            TestGit.Run(dir.Path, "branch", $"topic/{i:00}", $"HEAD~{i * 5}");
        }

        var remote = server.Url.Replace("http://", $"http://root:{WebServer.RootToken}@", StringComparison.Ordinal) + "/root/big.git";
        TestGit.Run(dir.Path, "push", "-q", remote, "--all");

        using var client = server.NewClient(out _);
        client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
        await Report(client, "root/big", "project page (39 entries with last commits, 20 KiB README)");
        await Report(client, "root/big/-/tree/main", "tree, 39 entries with last commits");
        await Report(client, "root/big/-/blob/main/big.txt", "blob, 5,000 lines");
        await Report(client, "root/big/-/commits/main", "commits, first page of 40");
        await Report(client, $"root/big/-/commit/{big}", "commit, 250 lines changed in 250 places");
        await Report(client, "root/big/-/branches", "branches, 30 with ahead/behind");
    }

    private async Task Report(HttpClient client, string path, string what) =>
        output.WriteLine($"{what} {await PageTimer.MeasureAsync(client, path)}");
}
