using System.Text.Json;

namespace Relais.Cli.Tests;

public sealed class PlanCommandTests
{
    private const string Pipeline = """
        stages: [build, test, deploy]
        build:
          stage: build
          script: make
          parallel: 2
        unit:
          script: make test
          needs: [build]
        docs:
          script: make docs
          rules:
            - changes: [docs/**/*]
        deploy:
          stage: deploy
          script: ./deploy
          rules:
            - if: $CI_COMMIT_TAG
            - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
              when: manual
        """;

    [Fact]
    public void Text_output_lists_stages_jobs_when_and_needs()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();
        var (exit, output, _) = repo.Relais("plan");
        Assert.Equal(0, exit);
        Assert.Contains("build 1/2", output, StringComparison.Ordinal);
        Assert.Contains("needs: build 1/2, build 2/2", output, StringComparison.Ordinal);
        Assert.Matches(@"deploy\s+manual", output);
    }

    [Fact]
    public void Json_output_names_expanded_jobs_and_leaves_out_excluded_ones()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit("first").Write("src/a.c", "int x;").Commit("code");
        var (exit, output, _) = repo.Relais("plan", "--json", "--ref", "feature");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["build 1/2", "build 2/2", "unit"], jobs.Select(j => j.GetProperty("name").GetString()));
        var unit = jobs.Single(j => j.GetProperty("name").GetString() == "unit");
        Assert.Equal(["build 1/2", "build 2/2"], unit.GetProperty("needs").EnumerateArray().Select(n => n.GetProperty("job").GetString()));
        Assert.Equal("on_success", unit.GetProperty("when").GetString());
        Assert.False(unit.GetProperty("allow_failure").GetBoolean());
        Assert.Equal(["make test"], unit.GetProperty("script").EnumerateArray().Select(s => s.GetString()));
        Assert.Empty(json.RootElement.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact]
    public void Changes_default_to_what_HEAD_and_the_working_tree_change()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit("first").Write("docs/guide.md", "hi").Commit("docs");
        Assert.Contains("docs", repo.Relais("plan").Out, StringComparison.Ordinal);
        repo.Write("src/a.c", "int x;").Commit("code");
        Assert.DoesNotContain("  docs", repo.Relais("plan").Out, StringComparison.Ordinal);
        Assert.Contains("  docs", repo.Relais("plan", "--changed", "docs/x.md").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_and_variables_change_the_plan()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline + "\nextra:\n  script: x\n  rules: [{ if: '$EXTRA == \"yes\"' }]\n").Commit();
        var tag = repo.Relais("plan", "--json", "--ref", "v1.0", "--tag").Out;
        Assert.Contains("\"deploy\"", tag, StringComparison.Ordinal);
        Assert.Contains("\"extra\"", repo.Relais("plan", "--json", "--variable", "EXTRA=yes").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_says_which_rule_decided_and_the_values_compared()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();
        var (exit, output, _) = repo.Relais("plan", "--explain", "deploy", "--ref", "feature");
        Assert.Equal(0, exit);
        Assert.Contains("deploy: does not run", output, StringComparison.Ordinal);
        Assert.Contains("none of its 2 rules matched", output, StringComparison.Ordinal);
        Assert.Contains("feature", output, StringComparison.Ordinal);

        var main = repo.Relais("plan", "--explain", "deploy").Out;
        Assert.Contains("deploy: runs", main, StringComparison.Ordinal);
        Assert.Contains("rules[1] matched (when: manual)", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_of_an_unknown_job_lists_the_jobs()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", Pipeline).Commit();
        var (exit, _, error) = repo.Relais("plan", "--explain", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("The jobs are: build, unit, docs, deploy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_configuration_exits_1_with_diagnostics_in_json()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "job:\n  script: x\n  when: sometimes_maybe\n  needs: [ghost]\n").Commit();
        var (exit, output, _) = repo.Relais("plan", "--json");
        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var diagnostics = json.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Contains(diagnostics, d => d.GetProperty("message").GetString()!.Contains("ghost", StringComparison.Ordinal) && d.GetProperty("line").GetInt32() == 4);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Workflow_rules_that_create_no_pipeline_are_reported_plainly()
    {
        using var repo = new GitRepo().Write(".gitlab-ci.yml", "workflow: { rules: [{ if: $CI_COMMIT_TAG }] }\njob: { script: x }\n").Commit();
        var (exit, output, _) = repo.Relais("plan");
        Assert.Equal(0, exit);
        Assert.Contains("No pipeline for branch `main`", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_branch_comes_from_origin_HEAD_else_main_or_master()
    {
        const string yaml = "job:\n  script: x\n  rules: [{ if: '$CI_DEFAULT_BRANCH == \"master\"' }]\nother:\n  script: x\n  rules: [{ if: '$CI_DEFAULT_BRANCH == \"trunk\"' }]\n";
        using var repo = new GitRepo().Write(".gitlab-ci.yml", yaml).Commit();
        repo.Git("branch", "-m", "main", "master");
        repo.Git("checkout", "-q", "-b", "develop");
        Assert.Contains("\"job\"", repo.Relais("plan", "--json").Out, StringComparison.Ordinal);

        repo.Git("update-ref", "refs/remotes/origin/trunk", "HEAD");
        repo.Git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");
        var output = repo.Relais("plan", "--json").Out;
        Assert.Contains("\"other\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"job\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_shows_a_trigger_and_carried_keywords_as_written_indented_with_the_rest()
    {
        const string yaml = "steps:\n  run: [{name: a, step: \"echo é<\", inputs: {n: 1, b: yes}}]\nchild:\n  trigger: {include: c.yml, strategy: depend}\n";
        using var repo = new GitRepo().Write(".gitlab-ci.yml", yaml).Commit();
        var output = repo.Relais("plan", "--json").Out.ReplaceLineEndings("\n");

        Assert.Contains("""
                  "trigger": {
                    "include": "c.yml",
                    "strategy": "depend"
                  },
            """, output, StringComparison.Ordinal);
        Assert.Contains("""
                  "run": [
                    {
                      "name": "a",
                      "step": "echo é<",
                      "inputs": {
                        "n": 1,
                        "b": true
                      }
                    }
                  ],
            """, output, StringComparison.Ordinal);
    }
}
