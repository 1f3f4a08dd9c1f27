using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

public sealed class RulesTests
{
    private const string Deploy = """
        deploy:
          script: deploy
          rules:
            - if: $CI_COMMIT_TAG
              when: never
            - if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'
              when: manual
            - if: '$CI_COMMIT_BRANCH =~ /^release-/'
              allow_failure: true
              variables: { TARGET: release }
        """;

    [Fact]
    public void The_first_matching_rule_decides()
    {
        var main = PlanOf(Deploy).Job("deploy");
        Assert.Equal(JobWhen.Manual, main.When);
        Assert.False(main.AllowFailure);

        var release = PlanOf(Deploy, Branch("release-1.2")).Job("deploy");
        Assert.Equal(JobWhen.OnSuccess, release.When);
        Assert.True(release.AllowFailure);
        Assert.Contains(release.Variables, v => v is { Key: "TARGET", Value: "release" });

        Assert.Empty(PlanOf("other: { script: x }\n" + Deploy, Branch("feature")).Jobs.Where(j => j.Name == "deploy"));
        var tag = Compile("other: { script: x }\n" + Deploy, Tag("v1"));
        Assert.DoesNotContain(tag.Plan!.Jobs, j => j.Name == "deploy");
        Assert.Contains("when: never", tag.Decisions.Single(d => d.Job == "deploy").Reason);
    }

    [Fact]
    public void Job_level_manual_may_fail_by_default_but_manual_from_rules_may_not()
    {
        var plan = PlanOf("""
            a: { script: x, when: manual }
            b: { script: x, rules: [{ when: manual }] }
            c: { script: x, when: manual, allow_failure: false }
            """);
        Assert.True(plan.Job("a").AllowFailure);
        Assert.False(plan.Job("b").AllowFailure);
        Assert.False(plan.Job("c").AllowFailure);
    }

    [Fact]
    public void Rules_see_job_and_global_variables_and_context_variables_override_them()
    {
        const string yaml = """
            variables: { MODE: fast }
            job:
              script: x
              variables: { KIND: unit }
              rules:
                - if: '$MODE == "fast" && $KIND == "unit"'
            """;
        Assert.Single(PlanOf(yaml).Jobs);
        var overridden = Compile(yaml, Branch() with { Variables = [new ContextVariable("MODE", "slow")] });
        Assert.Empty(overridden.Plan!.Jobs);
    }

    [Fact]
    public void Changes_match_changed_files_and_are_true_without_a_diff()
    {
        const string yaml = "docs:\n  script: x\n  rules:\n    - changes: ['docs/**/*.md', 'README.md']\n";
        Assert.Single(PlanOf(yaml, Branch() with { ChangedFiles = ["docs/guide/intro.md"] }).Jobs);
        Assert.Empty(Compile(yaml, Branch() with { ChangedFiles = ["src/main.c"] }).Plan!.Jobs);
        Assert.Single(PlanOf(yaml, Branch() with { ChangedFiles = null }).Jobs);
    }

    [Fact]
    public void Exists_matches_repository_files()
    {
        var files = new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "docker:\n  script: x\n  rules: [{ exists: ['**/Dockerfile'] }]\nnone:\n  script: x\n  rules: [{ exists: [Gemfile] }]\n",
            ["app/Dockerfile"] = "FROM x",
        };
        Assert.Equal(["docker"], Compile(files).Plan!.Names());
    }

    [Fact]
    public void Rules_needs_replace_the_job_needs()
    {
        var plan = PlanOf("""
            a: { stage: build, script: x }
            b: { stage: build, script: x }
            c:
              script: x
              needs: [a]
              rules:
                - if: $CI_COMMIT_BRANCH
                  needs: [b]
            """);
        Assert.Equal(["b"], plan.Job("c").Needs!.Value.Select(n => n.Job));
    }

    [Fact]
    public void Delayed_from_rules_carries_start_in()
    {
        var job = PlanOf("job:\n  script: x\n  rules: [{ when: delayed, start_in: 30 minutes }]\n").Job("job");
        Assert.Equal(JobWhen.Delayed, job.When);
        Assert.Equal(TimeSpan.FromMinutes(30), job.StartIn);
    }

    [Fact]
    public void An_invalid_expression_is_an_error_with_its_location()
    {
        var error = Compile("job:\n  script: x\n  rules:\n    - if: '$A == ('\n").Error("bad-expression");
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("jobs:job:rules[0]:if", error.Message);
    }

    [Fact]
    public void Explain_records_the_values_compared()
    {
        var source = Sources.InMemoryConfigSource.Single("job:\n  script: x\n  rules:\n    - if: '$CI_COMMIT_BRANCH == \"main\"'\n");
        var result = PipelineCompiler.Compile(new CompileRequest(source, Branch("feature")) { Explain = true });
        var decision = result.Decisions.Single();
        Assert.False(decision.Included);
        Assert.Contains(decision.Steps, s => s.Contains("feature", StringComparison.Ordinal));
    }
}
