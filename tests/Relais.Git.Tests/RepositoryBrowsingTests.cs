namespace Relais.Git.Tests;

/// <summary>What the repository pages ask of git beyond the API: each entry's last commit in one walk, ahead/behind, a blob's first bytes.</summary>
public sealed class RepositoryBrowsingTests
{
    [Fact]
    public async Task One_walk_finds_each_entrys_last_commit_and_leaves_out_those_older_than_it_looks()
    {
        using var repo = await TempRepository.InitAsync();
        var first = await repo.CommitAsync("first", ("a.txt", "a"), ("d/x.txt", "x"), ("d/y.txt", "y"), ("old.txt", "old"));
        var second = await repo.CommitAsync("second", ("d/x.txt", "x2"));
        var third = await repo.CommitAsync("third", ("a.txt", "a2"));

        var root = await repo.Git.LastCommitsAsync(third, "", new HashSet<string> { "a.txt", "d", "old.txt" }, 10, CancellationToken.None);
        Assert.Equal(third, root["a.txt"]);
        Assert.Equal(second, root["d"]);
        Assert.Equal(first, root["old.txt"]);

        var inside = await repo.Git.LastCommitsAsync(third, "d", new HashSet<string> { "x.txt", "y.txt" }, 10, CancellationToken.None);
        Assert.Equal(second, inside["x.txt"]);
        Assert.Equal(first, inside["y.txt"]);

        var shallow = await repo.Git.LastCommitsAsync(third, "", new HashSet<string> { "a.txt", "old.txt" }, 1, CancellationToken.None);
        Assert.Equal(third, shallow["a.txt"]);
        Assert.False(shallow.ContainsKey("old.txt"));
    }

    [Fact]
    public async Task Ahead_and_behind_count_the_commits_each_side_has()
    {
        using var repo = await TempRepository.InitAsync();
        await repo.CommitAsync("base", ("a", "1"));
        await repo.MustAsync("switch", "-q", "-c", "topic/one");
        await repo.CommitAsync("t1", ("b", "1"));
        await repo.CommitAsync("t2", ("b", "2"));
        await repo.MustAsync("switch", "-q", "main");
        await repo.CommitAsync("m1", ("a", "2"));

        Assert.Equal((2, 1), await repo.Git.AheadBehindAsync("refs/heads/main", "refs/heads/topic/one", CancellationToken.None));
        Assert.Null(await repo.Git.AheadBehindAsync("refs/heads/main", "refs/heads/nope", CancellationToken.None));
    }

    [Fact]
    public async Task Copying_a_blob_hands_over_its_first_bytes_before_writing_any()
    {
        using var repo = await TempRepository.InitAsync();
        var content = string.Concat(Enumerable.Repeat("0123456789", 2000));
        var commit = await repo.CommitAsync("big", ("big.txt", content));
        var blob = (await repo.Git.ResolveAsync(commit + ":big.txt", CancellationToken.None))!;
        using var destination = new MemoryStream();
        var headLength = -1;
        Assert.True(await repo.Git.CopyBlobAsync(blob, destination, 8000, head => { headLength = head.Length; Assert.Equal(0, destination.Length); }, CancellationToken.None));
        Assert.Equal(8000, headLength);
        Assert.Equal(content, System.Text.Encoding.UTF8.GetString(destination.ToArray()));
    }
}
