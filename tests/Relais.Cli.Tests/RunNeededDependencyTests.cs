namespace Relais.Cli.Tests;

/// <summary>
/// <c>relais run</c> hands a job only the artifacts GitLab would (<c>Ci::BuildDependencies</c>): with <c>needs</c>, the
/// jobs both named in <c>dependencies</c> and needed with artifacts (issue #20, item 3).
/// </summary>
public sealed class RunNeededDependencyTests
{
    private const string Pipeline = """
        stages: [build, test]
        one:
          stage: build
          script: [echo one > one.txt]
          artifacts: { paths: [one.txt] }
        two:
          stage: build
          script: [echo two > two.txt]
          artifacts: { paths: [two.txt] }
        test:
          stage: test
          needs: [{ job: one, artifacts: false }, two]
          dependencies: [one, two]
          script:
            - test -e two.txt
            - if test -e one.txt; then echo "artifact of" "one came along"; exit 1; fi
        """;

    [Fact]
    public void A_dependency_needed_without_artifacts_is_not_downloaded()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();

        var (exit, output, _) = repo.Relais("run");

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("artifact of one came along", output, StringComparison.Ordinal);
    }
}
