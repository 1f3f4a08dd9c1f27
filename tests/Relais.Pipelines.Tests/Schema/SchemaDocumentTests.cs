using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Schema;
using Relais.Pipelines.Yaml;
using static Relais.Pipelines.Tests.Schema.SchemaTestKit;

namespace Relais.Pipelines.Tests.Schema;

/// <summary>The document level: globals, jobs, hidden keys, typos, references, fragments, locations.</summary>
public sealed class SchemaDocumentTests
{
    [Fact]
    public void A_typical_pipeline_is_valid()
    {
        Valid("""
            stages: [build, test]
            variables: { GREETING: hello }
            default:
              image: alpine:3.20
              tags: [docker]
            build:
              stage: build
              script: make
              artifacts: { paths: [out/], expire_in: 1 week }
            test:
              needs: [build]
              script: [make test]
            """);
    }

    [Fact]
    public void A_misspelt_job_keyword_suggests_the_keyword()
    {
        var error = OneError("test:\n  scirpt: echo\n", SchemaCodes.UnknownKey,
            "jobs:test: unknown keyword `scirpt` (did you mean `script`?)");
        Assert.Equal(new SourceLocation(".gitlab-ci.yml", 2, 3), error.Location);
    }

    [Fact]
    public void A_job_does_not_need_script_here()
    {
        Valid("deploy:\n  stage: deploy\n  environment: production\n");
    }

    [Fact]
    public void Hidden_keys_are_templates_and_are_not_checked_by_themselves()
    {
        Valid(".template:\n  scirpt: not checked\n  parallel: 1000\n.anchor: &anchor [1, 2]\n");
    }

    [Fact]
    public void A_reference_is_accepted_wherever_a_value_goes()
    {
        Valid("""
            job:
              script:
                - !reference [.setup, script]
                - echo done
              rules: !reference [.rules, rules]
              parallel: !reference [.matrix, parallel]
              variables:
                A: !reference [.vars, variables, A]
            whole: !reference [.template]
            """);
    }

    [Fact]
    public void A_job_keyword_at_the_top_level_says_to_put_it_in_a_job()
    {
        HasError("script: echo hi\n", SchemaCodes.WrongType, "(`script` is a job keyword: put it inside a job)");
    }

    [Fact]
    public void A_misspelt_global_keyword_suggests_the_keyword()
    {
        HasError("stagse: [build, test]\n", SchemaCodes.WrongType, "(did you mean `stages`?)");
    }

    [Fact]
    public void An_empty_job_is_an_error()
    {
        HasError("job:\n", SchemaCodes.WrongType, "a job must be a hash of keywords, but it has no value");
    }

    [Fact]
    public void Global_keywords_inside_a_job_are_explained()
    {
        HasError("job:\n  script: x\n  stages: [a]\n", SchemaCodes.UnknownKey,
            "unknown keyword `stages` (`stages` is a top-level keyword and cannot be used inside a job; did you mean `stage`?)");
    }

    [Fact]
    public void Deprecated_globals_are_warnings_not_errors()
    {
        var diagnostics = Validate("image: ruby:3\nbefore_script: [bundle]\njob: { script: rspec }\n");
        Assert.DoesNotContain(diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(2, diagnostics.Count(d => d.Code == SchemaCodes.Deprecated));
    }

    [Fact]
    public void Pages_is_a_job_and_pages_is_a_job_keyword()
    {
        Valid("pages:\n  script: build\n  pages: { publish: public, expire_in: 1 day }\ndocs:\n  script: x\n  pages: true\n");
    }

    [Fact]
    public void A_job_that_extends_may_leave_hash_keys_to_its_parents()
    {
        Valid("job:\n  extends: .base\n  image: { entrypoint: [''] }\n  environment: { url: https://x.example }\n");
        HasError("job:\n  image: { entrypoint: [''] }\n", SchemaCodes.MissingKey, "jobs:job:image: `name` is required");
    }

    [Fact]
    public void A_job_that_extends_may_set_keywords_to_null_to_drop_inherited_values()
    {
        Valid("job:\n  extends: .base\n  image:\n  cache:\n  artifacts: { reports: { junit: } }\n");
        HasError("job:\n  image:\n", SchemaCodes.WrongType, "jobs:job:image: must be an image name, or a hash with `name`, but it has no value");
    }

    [Fact]
    public void A_fragment_still_checks_list_items_which_replace_wholesale()
    {
        HasError("job:\n  extends: .base\n  services: [{ alias: db }]\n", SchemaCodes.MissingKey, "services[0]: `name` is required");
    }

    [Fact]
    public void Every_finding_is_collected()
    {
        Assert.Equal(3, Errors("a:\n  when: sometimes\n  retry: 5\nb:\n  tags: [\"\"]\n").Count);
    }

    [Fact]
    public void ValidateGlobal_takes_only_global_keywords()
    {
        var entry = new YamlEntry("build", SourceLocation.None, YamlScalar.Null(SourceLocation.None));
        Assert.Throws<ArgumentException>(() => SchemaValidator.ValidateGlobal(entry, new DiagnosticBag()));
        Assert.True(SchemaValidator.IsGlobalKeyword("workflow"));
        Assert.False(SchemaValidator.IsGlobalKeyword("script"));
        Assert.Contains("script", SchemaValidator.JobKeywordNames);
    }

    [Fact]
    public void ValidateJob_checks_one_job_under_its_name()
    {
        var bag = new DiagnosticBag();
        var file = YamlLoader.Load("ci.yml", "when: sometimes\n", bag)!;
        SchemaValidator.ValidateJob("deploy prod", file.Body, new SourceLocation("ci.yml", 1, 1), bag);
        var error = Assert.Single(bag.Items);
        Assert.StartsWith("jobs:deploy prod:when: `sometimes` is not one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_name_is_at_most_255_characters()
    {
        HasError(new string('j', 256) + ":\n  script: x\n", SchemaCodes.BadValue, "at most 255 characters");
    }

    [Fact]
    public void A_spec_header_is_checked_like_the_body()
    {
        Valid("spec:\n  inputs:\n    env: { default: dev }\n---\njob: { script: echo }\n");
        HasError("spec:\n  inputs:\n    env: { default: 1 }\n---\njob: { script: echo }\n", SchemaCodes.BadValue,
            "spec:inputs:env:default: an input without a `type` (so a string input) needs a default of that type");
    }
}
