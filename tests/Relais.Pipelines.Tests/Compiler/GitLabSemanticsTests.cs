using Relais.Pipelines.Diagnostics;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

/// <summary>
/// Where Relais's compiler disagreed with GitLab (issue #20): each test states GitLab's behaviour, checked
/// against its documentation and source, and failed before the fix.
/// </summary>
public sealed class GitLabSemanticsTests
{
    private static string[] Errors(CompileResult result) =>
        [.. result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Code + ": " + d.Message)];

    private static CompileResult WithTemplate(string template, string inputs) => Compile(new Dictionary<string, string>
    {
        [".gitlab-ci.yml"] = $"include:\n  - local: t.yml\n    inputs: {inputs}\n",
        ["t.yml"] = template,
    });

    // 1. GitLab resolves includes, then extends, then !reference.
    [Fact]
    public void A_reference_sees_keys_a_template_got_through_extends()
    {
        var plan = PlanOf("""
            .base:
              script: [from-base]
              variables: { A: base }
            .child:
              extends: .base
            job:
              script: !reference [.child, script]
              variables: !reference [.child, variables]
            """);
        Assert.Equal(["from-base"], plan.Job("job").Script.ToArray());
        Assert.Equal("base", plan.Job("job").Variables.Single(v => v.Key == "A").Value);
    }

    [Fact]
    public void A_reference_inside_an_extended_key_is_resolved_after_the_merge()
    {
        var plan = PlanOf("""
            .setup: { script: [setup] }
            .base:
              script:
                - !reference [.setup, script]
                - base
            job:
              extends: .base
            """);
        Assert.Equal(["setup", "base"], plan.Job("job").Script.ToArray());
    }

    // 1. References in scripts nest as arrays, and GitLab allows ten levels of nested arrays.
    [Fact]
    public void References_in_scripts_nest_and_more_than_ten_levels_is_an_error()
    {
        static string Chain(int references) =>
            ".l0: { script: [x] }\n"
            + string.Concat(Enumerable.Range(1, references - 1).Select(i => $".l{i}:\n  script:\n    - !reference [.l{i - 1}, script]\n"))
            + $"job:\n  script:\n    - !reference [.l{references - 1}, script]\n";

        Assert.Equal(["x"], PlanOf(Chain(9)).Job("job").Script.ToArray());
        var error = Compile(Chain(10)).Error("bad-value");
        Assert.Contains("10 levels", error.Message);
    }

    // 5. `needs: []` with `dependencies` is valid: GitLab compares the two only when `needs` names jobs.
    [Fact]
    public void Empty_needs_with_dependencies_is_valid()
    {
        var plan = PlanOf("""
            stages: [build, test]
            one: { stage: build, script: x }
            two: { stage: test, script: x, needs: [], dependencies: [one] }
            """);
        Assert.Equal(["one"], plan.Job("two").Dependencies!.Value.ToArray());
        Assert.Empty(plan.Job("two").Needs!.Value);
    }

    // 5. A dependency on a job its rules left out is no error in GitLab (only needs are checked); nothing is downloaded from it.
    [Fact]
    public void A_dependency_on_a_job_rules_excluded_is_not_an_error()
    {
        var plan = PlanOf("""
            stages: [build, test]
            one: { stage: build, script: x, rules: [{ if: $NEVER }] }
            other: { stage: build, script: x }
            two: { stage: test, script: x, dependencies: [one, other] }
            """);
        Assert.Equal(["other"], plan.Job("two").Dependencies!.Value.ToArray());
    }

    [Fact]
    public void An_undefined_dependency_is_an_error_without_the_optional_hint()
    {
        var error = Compile("stages: [test]\ntwo: { script: x, dependencies: [nope] }\n").Error("dependencies-missing");
        Assert.Contains("`nope` is not defined", error.Message);
        Assert.DoesNotContain("optional", error.Message);
    }

    // 6. Matrix expressions in needs:parallel:matrix (GitLab 18.6): each instance needs its counterpart.
    [Fact]
    public void Matrix_expressions_in_needs_select_the_counterpart_instance()
    {
        var plan = PlanOf("""
            stages: [build, deploy]
            build:
              stage: build
              script: x
              parallel:
                matrix:
                  - PROVIDER: [aws, gcp]
            deploy:
              stage: deploy
              script: x
              parallel:
                matrix:
                  - PROVIDER: [aws, gcp]
              needs:
                - job: build
                  parallel:
                    matrix:
                      - PROVIDER: $[[ matrix.PROVIDER ]]
            """);
        Assert.Equal(["build: [aws]"], plan.Job("deploy: [aws]").Needs!.Value.Select(n => n.Job));
        Assert.Equal(["build: [gcp]"], plan.Job("deploy: [gcp]").Needs!.Value.Select(n => n.Job));
    }

    [Fact]
    public void A_matrix_expression_naming_an_unknown_variable_is_an_error()
    {
        var result = Compile("""
            build: { script: x, parallel: { matrix: [{ PROVIDER: [aws] }] } }
            deploy:
              script: x
              parallel: { matrix: [{ PROVIDER: [aws] }] }
              needs: [{ job: build, parallel: { matrix: [{ PROVIDER: "$[[ matrix.NOPE ]]" }] } }]
            """);
        Assert.Contains("'NOPE' does not exist in matrix configuration", result.Error("needs-matrix").Message);
    }

    [Fact]
    public void A_matrix_selector_that_matches_no_instance_says_what_did_not_match()
    {
        var result = Compile("""
            build: { script: x, parallel: { matrix: [{ PROVIDER: [aws, gcp] }] } }
            deploy:
              script: x
              needs: [{ job: build, parallel: { matrix: [{ PROVIDER: azure }] } }]
            """);
        var message = result.Error("needs-missing").Message;
        Assert.Contains("PROVIDER=azure", message);
        Assert.Contains("build: [aws]", message);
        Assert.DoesNotContain("is not defined", message);
    }

    // 8. `VAR:` with no value: GitLab composes a variable from `config || {}`, so its value is "".
    [Fact]
    public void A_variable_without_a_value_is_an_empty_string()
    {
        var plan = PlanOf("variables:\n  GLOBAL:\njob:\n  script: x\n  variables:\n    OWN:\n");
        var variables = plan.Job("job").Variables.ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal("", variables["GLOBAL"]);
        Assert.Equal("", variables["OWN"]);
    }

    // 9. spec:inputs validation, with GitLab's wording.
    [Fact]
    public void A_number_given_to_a_string_input_is_an_error()
    {
        var result = WithTemplate("spec:\n  inputs:\n    name:\n---\njob:\n  script: echo $[[ inputs.name ]]\n", "{ name: 5 }");
        Assert.Contains("`name` input: provided value is not a string", result.Error("inputs-type").Message);
    }

    [Fact]
    public void An_unknown_input_type_is_an_error()
    {
        var result = WithTemplate("spec:\n  inputs:\n    name: { type: text }\n---\njob:\n  script: echo $[[ inputs.name ]]\n", "{ name: a }");
        Assert.Contains(Errors(result), e => e.Contains("unknown input specification for `name` (valid types: array, boolean, number, string)"));
    }

    [Fact]
    public void Array_input_values_outside_options_are_errors()
    {
        const string Template = "spec:\n  inputs:\n    envs: { type: array, options: [dev, prod] }\n---\njob:\n  script: echo $[[ inputs.envs ]]\n";
        var result = WithTemplate(Template, "{ envs: [dev, staging] }");
        Assert.Contains("`staging` cannot be used because it is not in the list of allowed options", result.Error("inputs-options").Message);
        Assert.False(WithTemplate(Template, "{ envs: [dev, prod] }").HasErrors);
    }

    [Fact]
    public void An_empty_spec_header_still_interpolates_and_reports_unknown_inputs()
    {
        var result = Compile("spec: {}\n---\njob:\n  script: echo $[[ inputs.x ]]\n");
        Assert.Contains("unknown interpolation key: `x`", result.Error("inputs-unknown").Message);
    }

    // 10. GitLab: "rules config can't be blank".
    [Fact]
    public void Empty_rules_are_an_error()
    {
        Assert.Contains("can't be blank", Compile("job: { script: x, rules: [] }").Error("bad-value").Message);
        Assert.Contains("can't be blank", Compile("workflow: { rules: [] }\njob: { script: x }").Error("bad-value").Message);
    }

    // 11. GitLab's backend accepts these (only the editor's JSON schema forbids them).
    [Fact]
    public void Empty_tags_and_junit_reports_are_accepted()
    {
        var plan = PlanOf("job:\n  script: x\n  tags: []\n  artifacts:\n    reports:\n      junit: []\n");
        Assert.Empty(plan.Job("job").Tags);
    }

    // 13. GitLab checks a name parallel:matrix made only when a job needs it (a need's name is at most 255
    // characters); a long name nothing needs is accepted, as salsa-ci's own pipeline shows.
    [Fact]
    public void Needing_a_matrix_job_whose_name_is_over_255_characters_is_an_error()
    {
        var value = new string('v', 250);
        var made = $"build:\n  script: x\n  parallel:\n    matrix:\n      - A: [{value}]\n";
        Assert.False(Compile(made).HasErrors);
        var error = Compile(made + "test:\n  script: x\n  needs: [build]\n").Error("needs-name-too-long");
        Assert.Contains($"need `build: [{value}]` name is too long (maximum is 255 characters)", error.Message);
    }

    // 15. A missing reference is one error, not also "a job needs script:".
    [Fact]
    public void A_missing_reference_is_reported_once()
    {
        var result = Compile("job:\n  script: !reference [.setup, script]\n");
        Assert.Equal("reference-missing", Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error).Code);
    }

    [Theory]
    [InlineData("job:\n  script: x\n  rules: !reference [.nope, rules]\n")]
    [InlineData("job:\n  script: x\n  needs: [!reference [.nope, needs]]\n")]
    [InlineData("job:\n  script: [a, !reference [.nope, script]]\n  variables: !reference [.nope, variables]\n")]
    [InlineData("variables: !reference [.nope, variables]\nworkflow:\n  rules: [!reference [.nope, rules]]\njob:\n  script: x\n  image: !reference [.nope, image]\n")]
    [InlineData(".t:\n  extends: .u\n  script: !reference [.nope, script]\n.u: { image: x }\njob: { extends: .t }\n")]
    public void An_unresolved_reference_anywhere_is_its_error_alone(string yaml)
    {
        var result = Compile(yaml);
        Assert.All(result.Diagnostics.Where(d => d.Severity == Severity.Error), d => Assert.Equal("reference-missing", d.Code));
        Assert.Null(result.Plan);
    }

    [Theory]
    [InlineData("^(a")]
    [InlineData("^(?=a)a$")]
    [InlineData("^(a)\\1$")]
    [InlineData("/^a{2,1}$/")]
    public void An_invalid_input_regex_is_reported_as_invalid(string regex)
    {
        var result = WithTemplate($"spec:\n  inputs:\n    name: {{ regex: '{regex}' }}\n---\njob:\n  script: echo $[[ inputs.name ]]\n", "{ name: a }");
        var message = result.Error("inputs-regex").Message;
        Assert.Contains("invalid regular expression", message);
        Assert.DoesNotContain("does not match", message);
    }

    [Theory]
    [InlineData("template: Security/SAST.gitlab-ci.yml", "Security/SAST.gitlab-ci.yml")]
    [InlineData("remote: https://example.com/ci/build.yml", "https://example.com/ci/build.yml")]
    public void Template_and_remote_includes_name_the_file_and_how_to_vendor_it(string include, string file)
    {
        var message = Compile($"include:\n  - {include}\njob: {{ script: x }}\n").Error("include-unavailable").Message;
        Assert.Contains(file, message);
        Assert.Contains("include:local", message);
    }
}
