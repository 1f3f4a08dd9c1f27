using Relais.Pipelines.Context;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

public sealed class WorkflowAndOnlyExceptTests
{
    private const string Workflow = """
        workflow:
          name: 'Pipeline for $CI_COMMIT_REF_NAME ($MODE)'
          rules:
            - if: $CI_PIPELINE_SOURCE == "schedule"
              when: never
            - if: $CI_COMMIT_BRANCH == "main"
              variables: { MODE: production }
            - if: $CI_COMMIT_BRANCH
        variables: { MODE: review }
        job: { script: echo $MODE }
        """;

    [Fact]
    public void Workflow_rules_decide_whether_a_pipeline_exists_and_set_variables()
    {
        var main = PlanOf(Workflow);
        Assert.Equal("Pipeline for main (production)", main.Name);
        Assert.Contains(main.Job("job").Variables, v => v is { Key: "MODE", Value: "production" });
        Assert.Equal("Pipeline for dev (review)", PlanOf(Workflow, Branch("dev")).Name);

        var scheduled = Compile(Workflow, Branch("main", PipelineSource.Schedule));
        Assert.False(scheduled.Workflow.Created);
        Assert.Null(scheduled.Plan);
        Assert.False(scheduled.HasErrors);
        Assert.False(Compile(Workflow, Tag("v1")).Workflow.Created);
    }

    [Fact]
    public void Without_rules_jobs_get_the_default_only_branches_and_tags()
    {
        const string yaml = "job: { script: x }\n";
        Assert.Single(PlanOf(yaml).Jobs);
        Assert.Single(PlanOf(yaml, Tag("v1")).Jobs);
        Assert.Empty(Compile(yaml, Branch("feature", PipelineSource.MergeRequestEvent)).Plan!.Jobs);
        Assert.Single(PlanOf("workflow: { rules: [{ when: always }] }\n" + yaml, Branch("f", PipelineSource.MergeRequestEvent)).Jobs);
    }

    [Theory]
    [InlineData("only: [main]", "main", true)]
    [InlineData("only: [main]", "dev", false)]
    [InlineData("only: ['/^release-.*$/']", "release-1", true)]
    [InlineData("only: [tags]", "main", false)]
    [InlineData("only: [branches]", "main", true)]
    [InlineData("except: [main]", "main", false)]
    [InlineData("except: [main]", "dev", true)]
    [InlineData("only: [pushes]", "dev", true)]
    [InlineData("only: [schedules]", "dev", false)]
    [InlineData("only: { refs: [branches], variables: ['$DEPLOY == \"yes\"'] }", "dev", false)]
    [InlineData("only: { refs: [branches], variables: ['$CI_COMMIT_BRANCH == \"dev\"'] }", "dev", true)]
    [InlineData("except: { refs: [branches], variables: ['$CI_COMMIT_BRANCH == \"dev\"'] }", "dev", false)]
    [InlineData("except: { refs: [branches], variables: ['$CI_COMMIT_BRANCH == \"dev\"'] }", "main", true)]
    public void Only_and_except_follow_GitLab(string policy, string branch, bool runs)
    {
        var result = Compile($"job:\n  script: x\n  {policy}\n", Branch(branch));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(runs, result.Plan!.Jobs.Length == 1);
    }

    [Fact]
    public void Only_merge_requests_runs_in_merge_request_pipelines_only()
    {
        const string yaml = "job: { script: x, only: [merge_requests] }\n";
        Assert.Single(PlanOf(yaml, Branch("f", PipelineSource.MergeRequestEvent)).Jobs);
        Assert.Empty(Compile(yaml).Plan!.Jobs);
    }

    [Fact]
    public void Only_changes_uses_the_pushed_files()
    {
        const string yaml = "job: { script: x, only: { changes: ['src/*'] } }\n";
        Assert.Single(PlanOf(yaml, Branch() with { ChangedFiles = ["src/a.c"] }).Jobs);
        Assert.Empty(Compile(yaml, Branch() with { ChangedFiles = ["docs/a.md"] }).Plan!.Jobs);
    }

    [Fact]
    public void Rules_with_only_is_an_error()
    {
        Compile("job: { script: x, only: [main], rules: [{ when: always }] }\n").Error("conflicting-keys");
    }
}
