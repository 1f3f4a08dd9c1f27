namespace Relais.Cli.Tests;

public sealed class LintCommandTests
{
    [Fact]
    public void A_valid_configuration_exits_0_and_says_so()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "build: { stage: build, script: make }\ntest: { script: make test }\n").Commit();
        var (exit, output, _) = repo.Relais("lint");
        Assert.Equal(0, exit);
        Assert.Contains(".gitlab-ci.yml is valid: 2 job(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_print_file_line_column_and_exit_1()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "stages: [build, test]\nbuild:\n  stage: deploy\n  script: make\n").Commit();
        var (exit, output, _) = repo.Relais("lint");
        Assert.Equal(1, exit);
        Assert.Contains(".gitlab-ci.yml:3:10: error: jobs:build:stage: `deploy` is not one of the stages: build, test", output, StringComparison.Ordinal);
    }

    [Fact]
    public void YAML_syntax_errors_point_at_the_place()
    {
        using var repo = new GitRepo().Write("ci/pipeline.yml", "job:\n  script: [a, b\n  stage: test\n");
        var (exit, output, _) = repo.Relais("lint", "ci/pipeline.yml");
        Assert.Equal(1, exit);
        Assert.Matches(@"ci/pipeline\.yml:\d+:\d+: error: YAML syntax", output);
    }

    [Fact]
    public void Errors_in_included_files_name_that_file()
    {
        using var repo = new GitRepo()
            .Write(".gitlab-ci.yml", "include: ci/jobs.yml\n")
            .Write("ci/jobs.yml", "job:\n  script: x\n  needs: [missing]\n");
        var (exit, output, _) = repo.Relais("lint");
        Assert.Equal(1, exit);
        Assert.Contains("ci/jobs.yml:3:", output, StringComparison.Ordinal);
        Assert.Contains("`missing` is not defined", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_and_bad_options_exit_2()
    {
        using var repo = new GitRepo();
        Assert.Equal(2, repo.Relais("lint", "nope.yml").Exit);
        Assert.Equal(2, repo.Relais("lint", "--frobnicate").Exit);
        Assert.Equal(2, repo.Relais("frobnicate").Exit);
    }
}
