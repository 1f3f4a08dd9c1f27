namespace Relais.Cli.Tests;

/// <summary><c>relais run</c> and <c>relais runner</c> choose from one executor list; an unknown name is a usage error.</summary>
public sealed class ExecutorChoiceTests
{
    [Theory]
    [InlineData("run", "--executor", "nonsense")]
    [InlineData("runner", "--url", "http://127.0.0.1:1/", "--token", "glrt-x", "--executor", "nonsense")]
    public void An_unknown_executor_is_a_usage_error_that_lists_the_valid_names(params string[] args)
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "job: { script: echo must-not-run }\n").Commit();
        var (exit, output, error) = repo.Relais(args);
        Assert.Equal(2, exit);
        Assert.Contains("unknown executor `nonsense`; known: shell, docker, auto", error, StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-run", output.Replace("echo must-not-run", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runner_config_file_rejects_an_unknown_executor_with_the_same_names()
    {
        using var repo = new GitRepo().Write("runner.yml", "runners:\n  - url: http://127.0.0.1:1/\n    token: glrt-x\n    executor: nonsense\n");
        var (exit, _, error) = repo.Relais("runner", "--config", "runner.yml");
        Assert.Equal(2, exit);
        Assert.Contains("unknown executor `nonsense`; known: shell, docker, auto", error, StringComparison.Ordinal);
    }
}
