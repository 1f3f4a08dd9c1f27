using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using static Relais.Dispatch.Tests.PayloadTestSupport;

namespace Relais.Dispatch.Tests;

public sealed class JobPayloadBuilderTests
{
    [Fact]
    public void Steps_join_before_script_and_script_and_after_script_always_runs()
    {
        var job = Payload("job:\n  before_script: [setup]\n  script: [build, test]\n  after_script: [cleanup]\n  timeout: 30m\n", "job");
        Assert.Equal(["setup", "build", "test"], job.Steps[0].Script);
        Assert.Equal(("script", "on_success", false, 1800), (job.Steps[0].Name, job.Steps[0].When, job.Steps[0].AllowFailure, job.Steps[0].Timeout));
        Assert.Equal(("after_script", "always", true), (job.Steps[1].Name, job.Steps[1].When, job.Steps[1].AllowFailure));
        Assert.Equal(1800, job.RunnerInfo.Timeout);
    }

    [Fact]
    public void Variables_follow_GitLab_precedence_and_are_expanded_against_each_other()
    {
        var context = Push() with
        {
            Variables = [new ContextVariable("DEPLOY_KEY", "s3cr3t-value", Masked: true), new ContextVariable("MODE", "from-project")],
        };
        var job = Payload("""
            variables: { MODE: global, BASE: /opt, RAWV: { value: "$BASE/raw", expand: false } }
            job:
              script: x
              variables: { TARGET: "$BASE/$CI_COMMIT_REF_NAME", UNKNOWN: "$NOT_DEFINED/x" }
            """, "job", context);
        Assert.Equal("/opt/main", job.Var("TARGET"));
        Assert.Equal("$NOT_DEFINED/x", job.Var("UNKNOWN"));
        Assert.Equal("$BASE/raw", job.Var("RAWV"));
        Assert.True(job.Variables.Single(v => v.Key == "RAWV").Raw);
        Assert.Equal("from-project", job.Var("MODE"));
        var secret = job.Variables.Single(v => v.Key == "DEPLOY_KEY");
        Assert.True(secret.Masked);
        Assert.False(secret.Public);
        var token = job.Variables.Single(v => v.Key == "CI_JOB_TOKEN");
        Assert.True(token.Masked);
        Assert.Equal(1, job.Variables.Count(v => v.Key == "MODE"));
    }

    [Fact]
    public void Predefined_job_variables_describe_the_job()
    {
        var job = Payload("test:\n  script: x\n  parallel: 3\n  environment: { name: review/$CI_COMMIT_REF_NAME }\n", "test 2/3");
        Assert.Equal("test 2/3", job.Var("CI_JOB_NAME"));
        Assert.Equal("test-2-3", job.Var("CI_JOB_NAME_SLUG"));
        Assert.Equal(("2", "3"), (job.Var("CI_NODE_INDEX"), job.Var("CI_NODE_TOTAL")));
        Assert.Equal("7", job.Var("CI_JOB_ID"));
        Assert.Equal("https://ci.example.com/group/app/-/jobs/7", job.Var("CI_JOB_URL"));
        Assert.Equal("main", job.Var("CI_COMMIT_BRANCH"));
        Assert.Equal("review/main", job.Var("CI_ENVIRONMENT_NAME"));
    }

    [Fact]
    public void Dotenv_variables_from_dependencies_override_yaml_but_not_project_variables()
    {
        var job = Payload("job: { script: x, variables: { VERSION: yaml, OTHER: yaml } }\n", "job",
            Push() with { Variables = [new ContextVariable("OTHER", "project")] },
            d => d with { DotenvVariables = [new PlanVariable("VERSION", "1.2.3"), new PlanVariable("OTHER", "dotenv")] });
        Assert.Equal("1.2.3", job.Var("VERSION"));
        Assert.Equal("project", job.Var("OTHER"));
    }

    [Fact]
    public void Cache_keys_get_the_protection_suffix_unless_unprotected()
    {
        var yaml = "job:\n  script: x\n  cache:\n    - { key: gems, paths: [vendor/], fallback_keys: [gems-main] }\n    - { key: shared, paths: [x/], unprotect: true }\n    - { key: { files: [Gemfile.lock], prefix: rb }, paths: [y/] }\n";
        var onMain = Payload(yaml, "job");
        Assert.Equal("gems-protected", onMain.Cache[0].Key);
        Assert.Equal(["gems-main-protected"], onMain.Cache[0].FallbackKeys);
        Assert.Equal("shared", onMain.Cache[1].Key);
        Assert.Equal(["Gemfile.lock"], onMain.Cache[2].KeyFiles);
        Assert.Equal("gems-non_protected", Payload(yaml, "job", Push("feature")).Cache[0].Key);
    }

    [Fact]
    public void Artifacts_and_reports_take_GitLab_types_and_formats()
    {
        var job = Payload("job:\n  script: x\n  artifacts:\n    paths: [out/]\n    exclude: [out/tmp/**]\n    expire_in: 1 week\n    reports: { junit: rspec.xml, dotenv: build.env }\n", "job");
        var archive = job.Artifacts.Single(a => a.ArtifactType == "archive");
        Assert.Equal(("artifacts", "zip", "on_success", "1 week"), (archive.Name, archive.ArtifactFormat, archive.When, archive.ExpireIn));
        Assert.Equal(["out/tmp/**"], archive.Exclude);
        var junit = job.Artifacts.Single(a => a.ArtifactType == "junit");
        Assert.Equal(("junit.xml", "gzip", "always"), (junit.Name, junit.ArtifactFormat, junit.When));
        Assert.Equal(".env", job.Artifacts.Single(a => a.ArtifactType == "dotenv").Name);
    }

    [Fact]
    public void Git_info_uses_GIT_DEPTH_and_the_refspecs_GitLab_sends()
    {
        var shallow = Payload("job: { script: x }\n", "job");
        Assert.Equal(20, shallow.GitInfo.Depth);
        Assert.Equal(["+refs/pipelines/11:refs/pipelines/11", "+refs/heads/main:refs/remotes/origin/main"], shallow.GitInfo.Refspecs);
        var full = Payload("variables: { GIT_DEPTH: '0' }\njob: { script: x }\n", "job");
        Assert.Equal(0, full.GitInfo.Depth);
        Assert.Contains("+refs/tags/*:refs/tags/*", full.GitInfo.Refspecs);
        var tag = Payload("job: { script: x }\n", "job", Push() with { Ref = "v1", IsTag = true });
        Assert.Equal("tag", tag.GitInfo.RefType);
    }
}
