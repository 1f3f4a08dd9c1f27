namespace Relais.Cli.Tests;

/// <summary><c>relais run</c> against real git repositories, real bash and the real runner core.</summary>
public sealed class RunCommandTests
{
    private const string Pipeline = """
        stages: [build, test, deploy]
        variables: { GREETING: hello }
        build:
          stage: build
          script:
            - echo "$GREETING from $CI_JOB_NAME"
            - mkdir -p out && echo built > out/app.txt
            - echo "VERSION=1.2.3" > build.env
          artifacts:
            paths: [out/]
            reports: { dotenv: build.env }
        test:
          script:
            - test "$(cat out/app.txt)" = built
            - echo "version is $VERSION"
        lint:
          script: exit 3
          allow_failure: { exit_codes: [3] }
        deploy:
          stage: deploy
          script: echo "deploying $VERSION"
          when: manual
        """;

    [Fact]
    public void A_passing_pipeline_exits_0_and_hands_artifacts_and_dotenv_to_later_jobs()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.True(exit == 0, output);
        Assert.Matches(@"build +\| hello from build", output);
        Assert.Matches(@"test +\| version is 1\.2\.3", output);
        Assert.Matches(@"lint\s+test\s+failed \(allowed to fail\)", output);
        Assert.Matches(@"deploy\s+deploy\s+manual", output);
        Assert.Contains("pipeline success with warnings", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(repo.Root, ".relais", ".gitignore")));
        Assert.Equal("", repo.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_summary_shows_each_jobs_coverage_from_its_log()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            unit:
              script: [echo "Coverage 12.5%", echo "Coverage 87.25%", echo done]
              coverage: '/Coverage \d+\.\d+%/'
            plain:
              script: echo "Coverage 50.0%"
            """).Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.True(exit == 0, output);
        Assert.Matches(@"unit\s+test\s+success\s+\d+\.\d+s\s+87\.25%", output);
        Assert.DoesNotMatch(@"plain\s+test\s+success\s+\S+\s+50", output);
    }

    [Fact]
    public void The_projects_own_component_is_read_from_the_working_tree()
    {
        using var repo = new GitRepo()
            .Write(".gitlab-ci.yml", "include:\n  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/greet@$CI_COMMIT_SHA\n    inputs: { who: world }\n")
            .Write("templates/greet.yml", "spec:\n  inputs:\n    who:\n---\ngreet:\n  script: echo \"hello $[[ inputs.who ]]\"\n")
            .Commit();
        repo.Write("templates/greet.yml", "spec:\n  inputs:\n    who:\n---\ngreet:\n  script: echo \"changed hello $[[ inputs.who ]]\"\n");
        var (exit, output, _) = repo.Relais("run");
        Assert.True(exit == 0, output);
        Assert.Matches(@"greet +\| changed hello world", output);
    }

    [Fact]
    public void A_manual_job_runs_when_asked_for()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();
        var (exit, output, _) = repo.Relais("run", "--manual", "deploy");
        Assert.True(exit == 0, output);
        Assert.Matches(@"deploy +\| deploying 1\.2\.3", output);
    }

    [Fact]
    public void A_failing_job_fails_the_pipeline_and_skips_later_stages()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "a: { stage: build, script: [echo one, 'false', echo never] }\nb: { script: echo two }\nc: { script: echo cleanup, when: on_failure }\n").Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.Equal(1, exit);
        Assert.DoesNotContain("never", output.Replace("echo never", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches(@"b\s+test\s+skipped", output);
        Assert.Matches(@"c +\| cleanup", output);
        Assert.Contains("pipeline failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_jobs_run_alone_or_with_their_needs()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "a: { stage: build, script: echo from-a }\nb: { script: echo from-b, needs: [a] }\nc: { script: echo from-c }\n").Commit();
        var alone = repo.Relais("run", "b").Out;
        Assert.Contains("from-b", alone, StringComparison.Ordinal);
        Assert.DoesNotContain("from-a", alone, StringComparison.Ordinal);
        var withNeeds = repo.Relais("run", "b", "--needs").Out;
        Assert.Contains("from-a", withNeeds, StringComparison.Ordinal);
        Assert.DoesNotContain("from-c", withNeeds, StringComparison.Ordinal);
    }

    [Fact]
    public void Uncommitted_changes_are_what_runs()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "job: { script: cat note.txt }\n").Write("note.txt", "committed").Commit();
        repo.Write("note.txt", "edited, not committed");
        Assert.Matches(@"job +\| edited, not committed", repo.Relais("run").Out);
    }

    [Fact]
    public void An_unknown_job_lists_the_jobs_and_an_invalid_configuration_runs_nothing()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "a: { script: touch ran }\n").Commit();
        var (exit, _, error) = repo.Relais("run", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("The jobs are: a", error, StringComparison.Ordinal);

        repo.Write(".gitlab-ci.yml", "a: { script: touch ran, stage: nowhere }\n");
        var invalid = repo.Relais("run");
        Assert.Equal(1, invalid.Exit);
        Assert.Contains("nothing was run", invalid.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo.Root, "ran")));
    }

    [Fact]
    public void Masked_variables_and_the_job_token_never_reach_the_output()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "job: { script: 'echo token=$CI_JOB_TOKEN' }\n").Commit();
        var output = repo.Relais("run").Out;
        Assert.Contains("token=[MASKED]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flaky_job_is_retried_and_a_job_past_its_timeout_fails()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            flaky:
              retry: { max: 2, when: [script_failure] }
              script:
                - n=$(cat "$CI_BUILDS_DIR/../attempts" 2>/dev/null || echo 0); echo $((n+1)) > "$CI_BUILDS_DIR/../attempts"
                - test "$n" -ge 1
            slow:
              timeout: 2s
              script: sleep 30
              allow_failure: true
            """).Commit();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output, _) = repo.Relais("run");
        Assert.True(exit == 0, output);
        Assert.Matches(@"flaky\s+test\s+success", output);
        Assert.Matches(@"slow\s+test\s+failed \(allowed to fail\)", output);
        Assert.Contains("execution took longer than", output, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), "the timed-out job was not stopped");
    }

    [Fact]
    public async Task Outside_a_git_checkout_the_relais_folder_is_never_copied_into_builds()
    {
        var root = Path.Combine(Path.GetTempPath(), "relais-nogit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, ".gitlab-ci.yml"), "job: { script: 'test ! -e .relais && echo clean' }\n");
            for (var i = 0; i < 2; i++)
            {
                var output = new StringWriter();
                Assert.Equal(0, await CommandLine.RunAsync(["run"], output, new StringWriter(), root));
                Assert.Contains("clean", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
