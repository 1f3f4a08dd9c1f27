using Relais.Pipelines.Plan;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

public sealed class MergeTests
{
    [Fact]
    public void Extends_deep_merges_hashes_and_replaces_lists_with_several_parents()
    {
        var plan = PlanOf("""
            .base:
              image: ruby
              variables: { A: base, B: base }
              script: [base]
              tags: [docker]
            .other:
              variables: { B: other, C: other }
              tags: [linux]
            job:
              extends: [.base, .other]
              variables: { C: job }
              script: [own]
            """);
        var job = plan.Job("job");
        Assert.Equal("ruby", job.Image!.Name);
        Assert.Equal(["own"], job.Script.ToArray());
        Assert.Equal(["linux"], job.Tags.ToArray());
        Assert.Equal(["A=base", "B=other", "C=job"], job.Variables.Select(v => v.Key + "=" + v.Value));
    }

    [Fact]
    public void Extends_chains_resolve_and_null_drops_an_inherited_value()
    {
        var plan = PlanOf("""
            .a: { image: alpine, script: [a] }
            .b: { extends: .a, tags: [x] }
            job: { extends: .b, image: null }
            """);
        Assert.Null(plan.Job("job").Image);
        Assert.Equal(["a"], plan.Job("job").Script.ToArray());
        Assert.Equal(["x"], plan.Job("job").Tags.ToArray());
    }

    [Fact]
    public void Extends_reports_missing_parents_and_cycles()
    {
        Assert.Contains("`.nope` is not defined", Compile("job: { extends: .nope, script: x }").Error("extends-unknown").Message);
        Assert.Contains("circular", Compile(".a: { extends: .b }\n.b: { extends: .a }\njob: { extends: .a, script: x }").Error("extends-circular").Message);
    }

    [Fact]
    public void Extends_deeper_than_eleven_levels_is_an_error()
    {
        var yaml = ".l0: { script: x }\n" + string.Join("\n", Enumerable.Range(1, 12).Select(i => $".l{i}: {{ extends: .l{i - 1} }}")) + "\njob: { extends: .l12 }\n";
        Compile(yaml).Error("extends-too-deep");
        var ok = ".l0: { script: x }\n" + string.Join("\n", Enumerable.Range(1, 9).Select(i => $".l{i}: {{ extends: .l{i - 1} }}")) + "\njob: { extends: .l9 }\n";
        Assert.False(Compile(ok).HasErrors);
    }

    [Fact]
    public void Reference_copies_values_and_flattens_into_scripts_and_rules()
    {
        var plan = PlanOf("""
            .setup:
              script: [one, two]
              rules:
                - if: $NEVER
                  when: never
            .rules:
              rules:
                - !reference [.setup, rules]
                - when: on_success
            job:
              script:
                - echo start
                - !reference [.setup, script]
              rules: !reference [.rules, rules]
            """);
        Assert.Equal(["echo start", "one", "two"], plan.Job("job").Script.ToArray());
    }

    [Fact]
    public void Reference_to_a_missing_key_names_the_path()
    {
        var result = Compile("job:\n  script: !reference [.setup, script]\n");
        Assert.Contains("`.setup` is not defined", result.Error("reference-missing").Message);
        Assert.Equal(2, result.Error("reference-missing").Location.Line);
    }

    [Fact]
    public void Default_applies_whole_keys_and_inherit_controls_it()
    {
        var plan = PlanOf("""
            default:
              image: ruby
              before_script: [setup]
              tags: [shared]
            variables: { G1: a, G2: b }
            plain: { script: x }
            own: { script: x, image: alpine }
            none: { script: x, inherit: { default: false, variables: false } }
            some: { script: x, inherit: { default: [tags], variables: [G2] } }
            """);
        Assert.Equal("ruby", plan.Job("plain").Image!.Name);
        Assert.Equal(["setup"], plan.Job("plain").BeforeScript.ToArray());
        Assert.Equal("alpine", plan.Job("own").Image!.Name);
        Assert.Null(plan.Job("none").Image);
        Assert.Empty(plan.Job("none").Variables);
        Assert.Null(plan.Job("some").Image);
        Assert.Equal(["shared"], plan.Job("some").Tags.ToArray());
        Assert.Equal(["G2"], plan.Job("some").Variables.Select(v => v.Key));
    }

    [Fact]
    public void Deprecated_global_keywords_act_as_defaults()
    {
        var plan = PlanOf("image: ruby\nbefore_script: [b]\njob: { script: x }\n");
        Assert.Equal("ruby", plan.Job("job").Image!.Name);
        Assert.Equal(["b"], plan.Job("job").BeforeScript.ToArray());
    }

    [Fact]
    public void Hidden_jobs_never_run()
    {
        var plan = PlanOf(".hidden: { script: x }\njob: { script: y }\n");
        Assert.Equal(["job"], plan.Names());
    }

    [Fact]
    public void Anchors_and_merge_keys_build_jobs()
    {
        var plan = PlanOf("""
            .defaults: &defaults
              image: node
              script: [npm test]
            job:
              <<: *defaults
              stage: build
            """);
        Assert.Equal("node", plan.Job("job").Image!.Name);
        Assert.Equal("build", plan.Job("job").Stage);
        Assert.Equal(JobWhen.OnSuccess, plan.Job("job").When);
    }
}
