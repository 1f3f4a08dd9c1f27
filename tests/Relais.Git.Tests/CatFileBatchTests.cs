namespace Relais.Git.Tests;

public sealed class CatFileBatchTests
{
    [Fact]
    public async Task One_process_reads_many_files_and_answers_missing_ones_as_a_value()
    {
        using var repo = await TempRepository.InitAsync();
        var big = new string('x', 200_000);
        var sha = await repo.CommitAsync("first", (".gitlab-ci.yml", "include: ci/a.yml\n"), ("ci/a.yml", "a: 1\n"), ("with space.yml", "s: 1\n"), ("big.txt", big));
        await using var blobs = repo.Git.OpenBlobs();

        var entry = await blobs.ReadAsync(sha, ".gitlab-ci.yml", CancellationToken.None);
        var missing = await blobs.ReadAsync(sha, "nope.yml", CancellationToken.None);
        var directory = await blobs.ReadAsync(sha, "ci", CancellationToken.None);
        var spaced = await blobs.ReadAsync(sha, "with space.yml", CancellationToken.None);
        var large = await blobs.ReadAsync(sha, "big.txt", CancellationToken.None);
        var afterAll = await blobs.ReadAsync("HEAD", "ci/a.yml", CancellationToken.None);
        var badRevision = await blobs.ReadAsync("no-such-branch", "ci/a.yml", CancellationToken.None);
        var newline = await blobs.ReadAsync(sha, "a\nb", CancellationToken.None);

        Assert.Equal("include: ci/a.yml\n", entry.Text);
        Assert.Equal(GitBlob.Missing, missing);
        Assert.False(directory.Exists);
        Assert.Equal("s: 1\n", spaced.Text);
        Assert.Equal(big, large.Text);
        Assert.Equal("a: 1\n", afterAll.Text);
        Assert.False(badRevision.Exists);
        Assert.False(newline.Exists);
        Assert.Null(missing.Text);
    }

    [Fact]
    public async Task Concurrent_reads_are_answered_in_order()
    {
        using var repo = await TempRepository.InitAsync();
        var files = Enumerable.Range(0, 20).Select(i => ($"f{i}.yml", $"n: {i}\n")).ToArray();
        var sha = await repo.CommitAsync("many", files);
        await using var blobs = repo.Git.OpenBlobs();

        var reads = await Task.WhenAll(files.Select(f => blobs.ReadAsync(sha, f.Item1, CancellationToken.None)));

        Assert.Equal(files.Select(f => f.Item2), reads.Select(r => r.Text));
    }

    [Fact]
    public async Task Disposing_ends_the_process()
    {
        using var repo = await TempRepository.InitAsync();
        var sha = await repo.CommitAsync("first", ("a.yml", "a: 1\n"));
        var blobs = repo.Git.OpenBlobs();
        Assert.True((await blobs.ReadAsync(sha, "a.yml", CancellationToken.None)).Exists);
        Assert.False(blobs.HasExited);

        await blobs.DisposeAsync();

        Assert.True(blobs.HasExited);
    }
}
