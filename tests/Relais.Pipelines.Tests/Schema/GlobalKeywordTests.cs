using Relais.Pipelines.Schema;
using static Relais.Pipelines.Tests.Schema.SchemaTestKit;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>Global keywords: include, stages, variables, workflow, default, spec; and rules everywhere.</summary>
public sealed class GlobalKeywordTests
{
    [Theory]
    [InlineData("include: ci/build.yml")]
    [InlineData("include: 'configs/*.yml'")]
    [InlineData("include: https://example.com/ci.yml")]
    [InlineData("include: [{ local: a.yml, rules: [{ if: $A, when: never }, { exists: [b] }] }, { template: Auto-DevOps.gitlab-ci.yml }]")]
    [InlineData("include: { project: group/lib, ref: v1, file: [a.yml, b.yaml] }")]
    [InlineData("include: { remote: 'https://example.com/a.yml', cache: 1 day, integrity: 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }")]
    [InlineData("include: { component: $CI_SERVER_FQDN/group/comp/build@1.0, inputs: { stage: build, jobs: 3, flags: [a] } }")]
    public void Include_takes_its_forms(string yaml) => Valid(yaml + "\n");

    [Theory]
    [InlineData("include: ci/build.txt", SchemaCodes.BadValue, "include: `ci/build.txt` is not a path or URL ending in `.yml` or `.yaml`")]
    [InlineData("include: ftp://example.com/a.yml", SchemaCodes.BadValue, "is not a local path or an http(s) URL")]
    [InlineData("include: { local: a.yml, remote: 'https://x/a.yml' }", SchemaCodes.ConflictingKeys, "include: use only one of `local` or `remote`")]
    [InlineData("include: [{ file: a.yml }]", SchemaCodes.MissingKey, "include[0]: `project` is required")]
    [InlineData("include: { remote: 'https://x/a.yml', integrity: md5-abc }", SchemaCodes.BadValue, "`md5-abc` is not `sha256-` followed by")]
    [InlineData("include: { template: a.yml, cache: true }", SchemaCodes.UnknownKey, "`cache` is only available for `remote` includes")]
    [InlineData("include: { local: a.yml, inputs: { bad/name: 1 } }", SchemaCodes.BadValue, "`bad/name` is not a valid name")]
    [InlineData("include: { local: a.yml, rules: [{ when: on_success }] }", SchemaCodes.BadValue, "include:rules[0]:when: `on_success` is not one of never, always")]
    public void Include_mistakes(string yaml, string code, string text) => HasError(yaml + "\n", code, text);

    [Theory]
    [InlineData("stages: [build, [lint, unit], deploy]")]
    [InlineData("stages: [.pre, build, .post]")]
    public void Stages_are_unique_names(string yaml) => Valid(yaml + "\n");

    [Theory]
    [InlineData("stages: []", SchemaCodes.BadValue, "stages: must not be an empty list")]
    [InlineData("stages: [build, test, build]", SchemaCodes.BadValue, "stages[2]: repeats item 0")]
    [InlineData("stages: build", SchemaCodes.WrongType, "stages: must be a non-empty list of stage names")]
    public void Stages_mistakes(string yaml, string code, string text) => HasError(yaml + "\n", code, text);

    [Fact]
    public void Global_variables_may_describe_themselves_and_job_variables_may_not()
    {
        Valid("variables:\n  A: 1\n  B: true\n  C: { value: x, description: d, options: [x, y], expand: false }\n");
        HasError("variables:\n  C: { value: z, options: [x, y] }\n", SchemaCodes.BadValue, "variables:C:value: `z` must be one of its `options`");
        HasError("variables:\n  C: { value: x, options: [x, x] }\n", SchemaCodes.BadValue, "options[1]: repeats item 0");
        HasError("job:\n  script: x\n  variables:\n    C: { value: x, description: d }\n", SchemaCodes.UnknownKey,
            "jobs:job:variables:C: unknown keyword `description`");
        HasError("variables:\n  A: [x]\n", SchemaCodes.WrongType, "variables:A: must be a string, a number, or a hash");
    }

    [Fact]
    public void Workflow_takes_name_auto_cancel_and_rules()
    {
        Valid("""
            workflow:
              name: 'Pipeline for $CI_COMMIT_REF_NAME'
              auto_cancel: { on_new_commit: interruptible, on_job_failure: all }
              rules:
                - if: $CI_PIPELINE_SOURCE == "merge_request_event"
                  variables: { DEPLOY: 'false' }
                  auto_cancel: { on_new_commit: none }
                - when: always
            """);
        HasError("workflow:\n  rules: [{ when: manual }]\n", SchemaCodes.BadValue, "workflow:rules[0]:when: `manual` is not one of always, never");
        HasError("workflow:\n  rule: []\n", SchemaCodes.UnknownKey, "workflow: unknown keyword `rule` (did you mean `rules`?)");
        HasError("workflow:\n  name: ''\n", SchemaCodes.BadValue, "workflow:name: must not be empty");
    }

    [Fact]
    public void Default_takes_only_defaultable_keywords()
    {
        Valid("default:\n  image: ruby\n  retry: 1\n  interruptible: true\n  timeout: 1h\n  hooks: { pre_get_sources_script: [echo] }\n  identity: google_cloud\n");
        HasError("default:\n  script: [echo]\n", SchemaCodes.UnknownKey, "`script` cannot have a default");
        HasError("default:\n  imgae: ruby\n", SchemaCodes.UnknownKey, "(did you mean `image`?)");
    }

    [Theory]
    [InlineData("rules: [{ if: $A, when: manual, allow_failure: true }, { changes: { paths: [a], compare_to: main } }, { exists: { paths: [b], project: g/p, ref: main } }]")]
    [InlineData("rules: [{ if: $A, needs: [a, { job: b, optional: true }], variables: { X: '1' }, interruptible: false }]")]
    [InlineData("rules: [{ when: delayed, start_in: 1 hour }, [{ if: $NESTED }]]")]
    [InlineData("rules:")]
    [InlineData("only: { refs: [main, /^release/], variables: [$A == 'b'], changes: [a], kubernetes: active }")]
    [InlineData("except: [tags]")]
    public void Rules_and_filters_take_their_forms(string body) => Valid("job:\n  script: x\n  " + body + "\n");

    [Theory]
    [InlineData("rules: [{ iff: $A }]", SchemaCodes.UnknownKey, "jobs:job:rules[0]: unknown keyword `iff` (did you mean `if`?)")]
    [InlineData("rules: [{ changes: { paths: [a], regexp: b } }]", SchemaCodes.ConflictingKeys, "use only one of `paths` or `regexp`")]
    [InlineData("rules: [{ allow_failure: { exit_codes: 1 } }]", SchemaCodes.WrongType, "rules[0]:allow_failure: must be true or false")]
    [InlineData("rules: [{ variables: { A: [1] } }]", SchemaCodes.WrongType, "rules[0]:variables:A: must be a string, a number or a boolean")]
    [InlineData("rules: { if: $A }", SchemaCodes.WrongType, "jobs:job:rules: must be a list of rules")]
    [InlineData("only: main", SchemaCodes.WrongType, "jobs:job:only: must be a list of refs")]
    [InlineData("only: { kubernetes: inactive }", SchemaCodes.BadValue, "`inactive` is not one of active")]
    public void Rules_and_filter_mistakes(string body, string code, string text) => HasError("job:\n  script: x\n  " + body + "\n", code, text);

    [Fact]
    public void Spec_declares_inputs_and_its_own_keywords()
    {
        Valid("""
            spec:
              description: Builds things
              component: [name, version]
              include: [{ local: inputs.yml }, { project: g/p, file: i.yml }]
              inputs:
                stage: { default: test }
                replicas: { type: number, default: 2 }
                flags: { type: array, default: [] }
                optional: { type: string, default: null }
                required:
                env:
                  rules:
                    - if: $CI_COMMIT_TAG
                      options: [prod]
                      default: prod
                    - default: dev
            """);
        HasError("spec:\n  inputs:\n    n: { type: number, default: '2' }\n", SchemaCodes.BadValue, "an input of type `number` needs a default of that type");
        HasError("spec:\n  inputs:\n    n: { type: object }\n", SchemaCodes.BadValue, "`object` is not one of array, boolean, number, string");
        HasError("spec:\n  inputs:\n    n: { typ: string }\n", SchemaCodes.UnknownKey, "(did you mean `type`?)");
        HasError("spec:\n  component: [name, name]\n", SchemaCodes.BadValue, "spec:component[1]: repeats item 0");
    }
}
