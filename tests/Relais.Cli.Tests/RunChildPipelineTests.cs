namespace Relais.Cli.Tests;

/// <summary><c>relais run</c> runs child pipelines (<c>trigger:include</c>) as GitLab creates them (issue #20 item 4).</summary>
public sealed class RunChildPipelineTests
{
    private const string Parent = """
        variables: { GLOBAL: from-global }
        stages: [build, trigger, after]
        generate:
          stage: build
          script:
            - mkdir -p gen
            - |
              cat > gen/child.yml <<'END'
              dyn:
                script: echo "dynamic child got $FROM_PARENT"
              END
          artifacts: { paths: [gen/] }
        child:
          stage: trigger
          variables: { FROM_PARENT: passed-down }
          trigger:
            include: ci/child.yml
            strategy: depend
            forward: { pipeline_variables: true }
        dynamic:
          stage: trigger
          variables: { FROM_PARENT: to-dynamic }
          trigger:
            include: [{ artifact: gen/child.yml, job: generate }]
        after:
          stage: after
          script: echo after-ran
        """;

    private const string Child = """
        inner:
          script: echo "inner got $FROM_PARENT $GLOBAL [$PIPEVAR] from $CI_PIPELINE_SOURCE"
          rules:
            - if: $CI_PIPELINE_SOURCE == "parent_pipeline"
        push-only:
          script: echo push-only-ran
          rules:
            - if: $CI_PIPELINE_SOURCE == "push"
        """;

    [Fact]
    public void Local_and_artifact_child_pipelines_run_nested_with_the_variables_passed_down()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Parent).Write("ci/child.yml", Child).Commit();
        var (exit, output, _) = repo.Relais("run", "--variable", "PIPEVAR=pipeline-var");
        Assert.True(exit == 0, output);
        Assert.Matches(@"child ▸ inner +\| inner got passed-down from-global \[pipeline-var\] from parent_pipeline", output);
        Assert.Matches(@"dynamic ▸ dyn +\| dynamic child got to-dynamic", output);
        Assert.DoesNotContain("push-only", output, StringComparison.Ordinal);
        Assert.Matches(@"child ▸ inner\s+test\s+success", output);
        Assert.Matches(@"\nchild\s+trigger\s+success", output);
        Assert.Contains("after-ran", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_variables_are_forwarded_only_when_asked()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            bridge:
              trigger: { include: child.yml, strategy: depend }
            """).Write("child.yml", "show:\n  script: echo \"pipevar=[$PIPEVAR]\"\n").Commit();
        var (exit, output, _) = repo.Relais("run", "--variable", "PIPEVAR=secret");
        Assert.True(exit == 0, output);
        Assert.Contains("pipevar=[]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void With_strategy_depend_the_bridge_fails_with_its_child_and_without_it_succeeds()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            depends:
              trigger: { include: failing.yml, strategy: depend }
            detached:
              trigger: { include: failing.yml }
            """).Write("failing.yml", "broken:\n  script: exit 1\n").Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.Equal(1, exit);
        Assert.Matches(@"\ndepends\s+test\s+failed", output);
        Assert.Matches(@"\ndetached\s+test\s+success", output);
        Assert.Matches(@"depends ▸ broken\s+test\s+failed", output);
        Assert.Matches(@"detached ▸ broken\s+test\s+failed", output);
        Assert.Contains("pipeline failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_project_trigger_says_it_cannot_run_here_and_fails()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            deploy:
              trigger: { project: group/other }
            unit:
              script: echo unit-ran
            """).Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.Equal(1, exit);
        Assert.Matches(@"deploy +\| relais: trigger:project `group/other` starts a multi-project pipeline", output);
        Assert.Matches(@"\ndeploy\s+test\s+failed", output);
        Assert.Contains("unit-ran", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_include_from_outside_the_checkout_in_a_trigger_is_named()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", """
            bridge:
              trigger: { include: [{ project: group/lib, file: child.yml }] }
            """).Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.Equal(1, exit);
        Assert.Matches(@"bridge +\| relais: trigger:include .*group/lib.* reads a file from outside this checkout", output);
    }

    [Fact]
    public void Child_pipelines_nest_two_levels_deep_as_on_GitLab()
    {
        using var repo = new GitRepo()
            .Write(".gitlab-ci.yml", "one:\n  trigger: { include: one.yml, strategy: depend }\n")
            .Write("one.yml", "two:\n  trigger: { include: two.yml, strategy: depend }\n")
            .Write("two.yml", "leaf:\n  script: echo level-two-ran\nthree:\n  trigger: { include: three.yml, strategy: depend }\n")
            .Write("three.yml", "deep:\n  script: echo too-deep\n")
            .Commit();
        var (exit, output, _) = repo.Relais("run");
        Assert.Equal(1, exit);
        Assert.Matches(@"one ▸ two ▸ leaf +\| level-two-ran", output);
        Assert.Contains("nest at most 2 levels deep", output, StringComparison.Ordinal);
        Assert.DoesNotContain("too-deep\n", output.Replace("echo too-deep", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches(@"one ▸ two ▸ three\s+test\s+failed", output);
    }
}
