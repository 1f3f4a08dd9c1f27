using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

public sealed class GraphTests
{
    [Fact]
    public void Parallel_N_makes_numbered_jobs_and_needs_mean_all_of_them()
    {
        var plan = PlanOf("""
            build: { stage: build, script: x, parallel: 3 }
            test: { script: x, needs: [build] }
            """);
        Assert.Equal(["build 1/3", "build 2/3", "build 3/3", "test"], plan.Names());
        Assert.Equal(["build 1/3", "build 2/3", "build 3/3"], plan.Job("test").Needs!.Value.Select(n => n.Job));
        Assert.Equal((2, 3), (plan.Job("build 2/3").Parallel!.Index, plan.Job("build 2/3").Parallel!.Total));
    }

    [Fact]
    public void Matrix_jobs_are_named_by_their_values_and_needs_can_select_some()
    {
        var plan = PlanOf("""
            build:
              stage: build
              script: x
              parallel:
                matrix:
                  - PROVIDER: aws
                    STACK: [monitoring, app1]
                  - PROVIDER: gcp
                    STACK: data
            deploy:
              stage: deploy
              script: x
              needs:
                - job: build
                  parallel:
                    matrix:
                      - PROVIDER: aws
                        STACK: app1
            """);
        Assert.Equal(["build: [aws, monitoring]", "build: [aws, app1]", "build: [gcp, data]", "deploy"], plan.Names());
        Assert.Equal(["build: [aws, app1]"], plan.Job("deploy").Needs!.Value.Select(n => n.Job));
        Assert.Contains(plan.Job("build: [gcp, data]").Variables, v => v is { Key: "STACK", Value: "data" });
    }

    [Fact]
    public void Needs_errors_name_the_problem()
    {
        Assert.Contains("`nope` is not defined", Compile("a: { script: x, needs: [nope] }\n").Error("needs-missing").Message);
        Assert.Contains("comes after", Compile("a: { stage: build, script: x, needs: [b] }\nb: { stage: test, script: x }\n").Error("needs-later-stage").Message);
        Assert.Contains("circular", Compile("a: { script: x, needs: [b] }\nb: { script: x, needs: [a] }\n").Error("needs-cycle").Message);
    }

    [Fact]
    public void Optional_needs_on_absent_jobs_are_dropped_and_excluded_jobs_explained()
    {
        var plan = PlanOf("""
            a: { stage: build, script: x, rules: [{ if: $NEVER }] }
            b: { script: x, needs: [{ job: a, optional: true }] }
            """);
        Assert.Empty(plan.Job("b").Needs!.Value);
        var result = Compile("a: { stage: build, script: x, rules: [{ if: $NEVER }] }\nb: { script: x, needs: [a] }\n");
        Assert.Contains("not in this pipeline", result.Error("needs-missing").Message);
    }

    [Fact]
    public void Same_stage_needs_and_empty_needs_are_allowed()
    {
        var plan = PlanOf("a: { script: x }\nb: { script: x, needs: [a] }\nc: { stage: deploy, script: x, needs: [] }\n");
        Assert.Equal(["a"], plan.Job("b").Needs!.Value.Select(n => n.Job));
        Assert.Empty(plan.Job("c").Needs!.Value);
        Assert.Null(plan.Job("a").Needs);
    }

    [Fact]
    public void Needs_artifacts_false_is_carried()
    {
        var plan = PlanOf("a: { stage: build, script: x }\nb: { script: x, needs: [{ job: a, artifacts: false }] }\n");
        Assert.False(plan.Job("b").Needs!.Value.Single().Artifacts);
    }

    [Fact]
    public void Dependencies_must_be_earlier_and_within_needs()
    {
        Assert.False(Compile("a: { stage: build, script: x }\nb: { script: x, dependencies: [a] }\n").HasErrors);
        Compile("a: { script: x }\nb: { stage: build, script: x, dependencies: [a] }\n").Error("dependencies-stage");
        Compile("a: { stage: build, script: x }\nc: { stage: build, script: x }\nb: { script: x, needs: [a], dependencies: [c] }\n").Error("dependencies-not-needed");
    }

    [Fact]
    public void Stages_default_and_pre_post_exist()
    {
        var plan = PlanOf("first: { stage: .pre, script: x }\nlast: { stage: .post, script: x }\nmid: { script: x }\n");
        Assert.Equal([".pre", "build", "test", "deploy", ".post"], plan.Stages.ToArray());
        Assert.Equal(["first", "mid", "last"], plan.Names());
    }

    [Fact]
    public void An_unknown_stage_lists_the_stages()
    {
        var error = Compile("stages: [build, test]\nbuild:\n  stage: deploy\n  script: x\n").Error("unknown-stage");
        Assert.Equal("jobs:build:stage: `deploy` is not one of the stages: build, test", error.Message);
        Assert.Equal((3, 10), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_job_without_script_is_an_error()
    {
        Assert.Contains("needs `script:`", Compile("job: { stage: test }\n").Error("missing-script").Message);
        Assert.False(Compile("bridge: { trigger: group/project }\n").HasErrors);
    }
}
