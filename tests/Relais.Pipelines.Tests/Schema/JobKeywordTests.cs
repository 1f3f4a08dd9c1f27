using Relais.Pipelines.Schema;
using static Relais.Pipelines.Tests.Schema.SchemaTestKit;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>Job keywords: scripts, when, retry, parallel, needs, environment, release, trigger, and the rest.</summary>
public sealed class JobKeywordTests
{
    [Theory]
    [InlineData("script: echo")]
    [InlineData("script: [a, [b, c], d]")]
    [InlineData("script: [a]\nbefore_script: ''\nafter_script: []")]
    public void Scripts_are_strings_or_nested_lists_of_strings(string body) => Valid("job:\n" + Indent(body));

    [Theory]
    [InlineData("script: ''", "jobs:job:script: must not be empty")]
    [InlineData("script: []", "jobs:job:script: must not be an empty list")]
    [InlineData("script: [echo, 1]", "jobs:job:script[1]: must be a string, but it is an integer `1`")]
    public void Script_must_have_something_to_run(string body, string message) =>
        Assert.StartsWith(message, OneError("job:\n" + Indent(body)).Message, StringComparison.Ordinal);

    [Fact]
    public void When_names_the_allowed_values()
    {
        OneError("build:\n  script: x\n  when: sometimes\n", SchemaCodes.BadValue,
            "jobs:build:when: `sometimes` is not one of on_success, on_failure, always, manual, delayed");
    }

    [Fact]
    public void When_never_belongs_in_rules()
    {
        HasError("job:\n  script: x\n  when: never\n", SchemaCodes.BadValue, "(`when: never` is only valid inside `rules`)");
        Valid("job:\n  script: x\n  rules: [{ when: never }]\n");
    }

    [Fact]
    public void Delayed_jobs_need_start_in_and_only_they_take_it()
    {
        Valid("job:\n  script: x\n  when: delayed\n  start_in: 30 minutes\n");
        OneError("job:\n  script: x\n  when: delayed\n", SchemaCodes.MissingKey, "jobs:job: `start_in` is required with `when: delayed`");
        HasError("job:\n  script: x\n  start_in: 1 day\n", SchemaCodes.ConflictingKeys, "`start_in` only applies to a job with `when: delayed`");
        Valid("job:\n  extends: .delayed\n  start_in: 1 day\n");
    }

    [Fact]
    public void Script_and_run_are_exclusive_and_rules_replace_only_except()
    {
        HasError("job:\n  script: x\n  run: [{ name: a, script: b }]\n", SchemaCodes.ConflictingKeys, "`script` and `run` cannot be used together");
        HasError("job:\n  script: x\n  rules: [{ if: $A }]\n  only: [main]\n", SchemaCodes.ConflictingKeys, "`rules` and `only`");
    }

    [Theory]
    [InlineData("parallel: 1")]
    [InlineData("parallel: 200")]
    [InlineData("parallel: { matrix: [{ A: [x, y], B: 1 }, { C: z }] }")]
    public void Parallel_takes_a_count_or_a_matrix(string body) => Valid("job:\n  script: x\n" + Indent(body));

    [Theory]
    [InlineData("parallel: 0")]
    [InlineData("parallel: 201")]
    [InlineData("parallel: '5'")]
    [InlineData("parallel: [1]")]
    public void Parallel_out_of_range_or_of_the_wrong_kind_says_what_it_takes(string body) =>
        Assert.StartsWith("jobs:build:parallel: must be a number from 1 to 200, or a `matrix:` list",
            OneError("build:\n  script: x\n" + Indent(body)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_matrix_makes_at_most_200_jobs()
    {
        var values = "[" + string.Join(", ", Enumerable.Range(0, 15)) + "]";
        HasError($"job:\n  script: x\n  parallel:\n    matrix:\n      - A: {values}\n        B: {values}\n",
            SchemaCodes.BadValue, "parallel:matrix: makes 225 jobs; at most 200 are allowed");
    }

    [Theory]
    [InlineData("needs: []")]
    [InlineData("needs: [build, { job: lint, artifacts: false, optional: true }]")]
    [InlineData("needs: [{ pipeline: $PARENT_PIPELINE_ID, job: build }]")]
    [InlineData("needs: [{ project: group/app, job: build, ref: main, artifacts: true }]")]
    [InlineData("needs: [{ job: test, parallel: { matrix: [{ OS: linux }] } }]")]
    public void Needs_takes_its_forms(string body) => Valid("job:\n  script: x\n" + Indent(body));

    [Theory]
    [InlineData("needs: [{ project: group/app, job: build }]", SchemaCodes.MissingKey, "needs[0]: `ref` is required")]
    [InlineData("needs: [{ pipeline: '1', project: a/b, job: x, ref: y }]", SchemaCodes.ConflictingKeys, "use only one of `pipeline` or `project`")]
    [InlineData("needs: [{ job: test, parallel: 2 }]", SchemaCodes.WrongType, "needs[0]:parallel: must be a hash with `matrix`")]
    [InlineData("needs: [{ artifacts: true }]", SchemaCodes.MissingKey, "needs[0]: `job` is required")]
    public void Needs_forms_are_checked(string body, string code, string text) => HasError("job:\n  script: x\n" + Indent(body), code, text);

    [Theory]
    [InlineData("retry: 2")]
    [InlineData("retry: { max: 1, when: [script_failure, runner_system_failure], exit_codes: [1, 137] }")]
    [InlineData("retry: { when: always, exit_codes: 137 }")]
    [InlineData("allow_failure: true")]
    [InlineData("allow_failure: { exit_codes: [1, 2] }")]
    public void Retry_and_allow_failure_take_their_forms(string body) => Valid("job:\n  script: x\n" + Indent(body));

    [Theory]
    [InlineData("retry: 3", "jobs:job:retry: must be an integer from 0 to 2, not 3")]
    [InlineData("retry: { max: 1, when: script_falure }", "jobs:job:retry:when: `script_falure` is not one of")]
    [InlineData("retry: { exit_codes: [1, 1] }", "jobs:job:retry:exit_codes[1]: repeats item 0")]
    [InlineData("allow_failure: { exit_codes: '1' }", "jobs:job:allow_failure:exit_codes: must be an exit code or a list of exit codes")]
    public void Retry_and_allow_failure_mistakes(string body, string message) =>
        Assert.StartsWith(message, OneError("job:\n  script: x\n" + Indent(body)).Message, StringComparison.Ordinal);

    [Fact]
    public void Misspelt_values_are_suggested()
    {
        HasError("job:\n  script: x\n  retry: { when: script_falure }\n", SchemaCodes.BadValue, "(did you mean `script_failure`?)");
    }

    [Theory]
    [InlineData("environment: production")]
    [InlineData("environment: { name: review/$CI_COMMIT_REF_SLUG, url: https://$CI_ENVIRONMENT_SLUG.example.com, action: stop, deployment_tier: staging }")]
    [InlineData("environment: { name: prod, url: $DYNAMIC_URL, kubernetes: { agent: group/agent:main, dashboard: { namespace: prod } } }")]
    public void Environment_takes_a_name_or_a_hash(string body) => Valid("job:\n  script: x\n" + Indent(body));

    [Theory]
    [InlineData("environment: { url: https://x.example }", SchemaCodes.MissingKey, "jobs:job:environment: `name` is required")]
    [InlineData("environment: { name: prod, action: deploy }", SchemaCodes.BadValue, "`deploy` is not one of start, prepare, stop, verify, access")]
    [InlineData("environment: { name: prod, deployment_tier: prod }", SchemaCodes.BadValue, "`prod` is not one of production, staging")]
    [InlineData("environment: { name: prod, url: ftp://x }", SchemaCodes.BadValue, "`ftp://x` is not an http(s) URL or a `$VARIABLE`")]
    public void Environment_mistakes(string body, string code, string text) => HasError("job:\n  script: x\n" + Indent(body), code, text);

    [Fact]
    public void Release_needs_a_tag_and_a_description_and_an_iso_time()
    {
        Valid("job:\n  script: x\n  release: { tag_name: v1, description: notes, released_at: '2024-01-31T12:00:00Z' }\n");
        HasError("job:\n  script: x\n  release: { tag_name: v1 }\n", SchemaCodes.MissingKey, "jobs:job:release: `description` is required");
        HasError("job:\n  script: x\n  release: { tag_name: v1, description: d, released_at: '2024-01-31' }\n", SchemaCodes.BadValue,
            "is not an ISO 8601 time");
        HasError("job:\n  script: x\n  release: { tag_name: v1, description: d, assets: { links: [{ name: a }] } }\n",
            SchemaCodes.MissingKey, "assets:links[0]: `url` is required");
    }

    [Theory]
    [InlineData("trigger: group/project")]
    [InlineData("trigger: { project: group/project, branch: main, strategy: depend, forward: { yaml_variables: true } }")]
    [InlineData("trigger: { include: child.yml, strategy: mirror }")]
    [InlineData("trigger: { include: [{ local: a.yml }, { artifact: gen.yml, job: generate }, { project: g/p, file: c.yml }] }")]
    public void Trigger_takes_a_project_or_a_child_pipeline(string body) => Valid("bridge:\n" + Indent(body));

    [Theory]
    [InlineData("trigger: project", SchemaCodes.BadValue, "`project` is not a project path like `group/project`")]
    [InlineData("trigger: { include: [{ artifact: gen.yml }] }", SchemaCodes.MissingKey, "trigger:include[0]: `job` is required")]
    [InlineData("trigger: { include: [{ job: generate }] }", SchemaCodes.MissingKey, "trigger:include[0]: `artifact` is required")]
    [InlineData("trigger: { include: [a.yml, b.yml, c.yml, d.yml] }", SchemaCodes.BadValue, "trigger:include: has 4 items; at most 3")]
    [InlineData("trigger: { project: a/b, include: c.yml }", SchemaCodes.ConflictingKeys, "use only one of `project` or `include`")]
    [InlineData("trigger: { project: a/b, strategy: wait }", SchemaCodes.BadValue, "`wait` is not one of depend, mirror")]
    public void Trigger_mistakes(string body, string code, string text) => HasError("bridge:\n" + Indent(body), code, text);

    [Theory]
    [InlineData("tags: docker", "jobs:job:tags: must be a list of tags, but it is a string `docker`")]
    [InlineData("stage: 1", "jobs:job:stage: must be a non-empty string, but it is an integer `1` (write it in quotes, '1', to use it as text)")]
    [InlineData("coverage: 'Coverage: \\d+'", "jobs:job:coverage: `Coverage: \\d+` is not a regular expression between slashes")]
    [InlineData("interruptible: 'true'", "jobs:job:interruptible: must be true or false, but it is a string `true` (it is quoted, so it is read as text; write true without quotes)")]
    [InlineData("identity: aws", "jobs:job:identity: `aws` is not one of google_cloud")]
    [InlineData("inherit: { default: [image, script] }", "jobs:job:inherit:default[1]: `script` is not one of")]
    [InlineData("extends: []", "jobs:job:extends: must not be an empty list")]
    public void Simple_keyword_mistakes(string body, string message) =>
        Assert.StartsWith(message, OneError("job:\n" + Indent(body)).Message, StringComparison.Ordinal);

    [Fact]
    public void Job_inputs_need_a_default_of_their_type()
    {
        Valid("job:\n  script: x\n  inputs:\n    n: { type: number, default: 3 }\n    s: { default: text, options: [text, other] }\n");
        HasError("job:\n  script: x\n  inputs:\n    n: { type: number }\n", SchemaCodes.MissingKey, "jobs:job:inputs:n: `default` is required");
        HasError("job:\n  script: x\n  inputs:\n    n: { type: boolean, default: 'yes' }\n", SchemaCodes.BadValue,
            "an input of type `boolean` needs a default of that type, but it is a string `yes`");
    }

    [Fact]
    public void Secrets_need_a_provider()
    {
        Valid("job:\n  script: x\n  secrets:\n    DB: { vault: db/password@ops, file: false }\n    AWS: { aws_secrets_manager: { secret_id: arn } }\n");
        HasError("job:\n  script: x\n  secrets:\n    DB: { file: true }\n", SchemaCodes.MissingKey, "jobs:job:secrets:DB: needs one of `vault`");
        HasError("job:\n  script: x\n  secrets:\n    DB: { gitlab_secrets_manager: { name: 'a-b' } }\n", SchemaCodes.BadValue,
            "`a-b` is not made of letters, digits and `_`");
    }

    [Fact]
    public void Run_steps_are_script_or_reference_steps()
    {
        Valid("job:\n  run:\n    - name: build\n      script: make\n    - name: echo\n      step: gitlab.com/steps/echo@v1\n      inputs: { message: hi }\n");
        HasError("job:\n  run:\n    - name: 1st\n      script: make\n", SchemaCodes.BadValue, "`1st` is not a name of letters");
        HasError("job:\n  run:\n    - name: a\n      step: { git: { url: x } }\n", SchemaCodes.MissingKey, "run[0]:step:git: `rev` is required");
    }

    [Fact]
    public void Deprecated_job_keywords_warn()
    {
        var diagnostics = Validate("job:\n  script: x\n  type: build\n");
        Assert.Contains(diagnostics, d => d.Code == SchemaCodes.Deprecated && d.Message.Contains("use `stage`", StringComparison.Ordinal));
        Assert.DoesNotContain(diagnostics, d => d.Severity == Relais.Pipelines.Diagnostics.Severity.Error);
    }

    private static string Indent(string body) => string.Concat(body.Split('\n').Select(line => "  " + line + "\n"));
}
