namespace Relais.Cli.Tests;

/// <summary>
/// <c>include: local:</c> paths are looked up as written, as GitLab looks them up among a commit's tree entries (issue
/// #20, item 12): <c>./ci/a.yml</c> or <c>../REPO/ci/a.yml</c> name no file, in the working tree and at <c>--commit</c>
/// alike, while <c>/ci/a.yml</c> and <c>ci/a.yml</c> do.
/// </summary>
public sealed class LocalIncludePathTests
{
    private const string Included = "included:\n  script: [echo]\n";

    [Theory]
    [InlineData("./ci/a.yml")]
    [InlineData("ci/./a.yml")]
    [InlineData("ci/../ci/a.yml")]
    [InlineData("../{repo}/ci/a.yml")]
    public void A_path_with_dot_segments_names_no_file_in_the_working_tree_or_at_a_commit(string path)
    {
        using var repo = new GitRepo();
        var written = path.Replace("{repo}", Path.GetFileName(repo.Root), StringComparison.Ordinal);
        repo.Write(".gitlab-ci.yml", $"include:\n  - local: '{written}'\nmain:\n  script: [echo]\n").Write("ci/a.yml", Included).Commit();
        var sha = repo.Git("rev-parse", "HEAD").Trim();

        var (tree, treeOut, treeErr) = repo.Relais("plan");
        var (commit, commitOut, commitErr) = repo.Relais("plan", "--commit", sha);

        Assert.Equal(1, tree);
        Assert.Contains($"local file `{written}` does not exist", treeOut + treeErr, StringComparison.Ordinal);
        Assert.Equal(1, commit);
        Assert.Contains($"local file `{written}` does not exist", commitOut + commitErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci/a.yml")]
    [InlineData("/ci/a.yml")]
    public void A_path_from_the_root_is_found_with_or_without_its_slash(string path)
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", $"include:\n  - local: '{path}'\nmain:\n  script: [echo]\n").Write("ci/a.yml", Included).Commit();
        var sha = repo.Git("rev-parse", "HEAD").Trim();

        var (tree, treeOut, _) = repo.Relais("plan");
        var (commit, commitOut, _) = repo.Relais("plan", "--commit", sha);

        Assert.Equal((0, 0), (tree, commit));
        Assert.Contains("included", treeOut, StringComparison.Ordinal);
        Assert.Contains("included", commitOut, StringComparison.Ordinal);
    }
}
