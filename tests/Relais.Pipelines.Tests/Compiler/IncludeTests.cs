using Relais.Pipelines.Sources;
using Relais.Pipelines.Yaml;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

public sealed class IncludeTests
{
    [Fact]
    public void Local_includes_merge_deeply_with_the_including_file_winning()
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "include: ci/base.yml\njob:\n  variables: { B: main }\n",
            ["ci/base.yml"] = "job:\n  script: [base]\n  variables: { A: base, B: base }\n",
        });
        var job = Assert.IsType<Plan.PipelinePlan>(result.Plan!).Job("job");
        Assert.Equal(["base"], job.Script.ToArray());
        Assert.Equal(["A=base", "B=main"], job.Variables.Select(v => v.Key + "=" + v.Value));
    }

    [Fact]
    public void Nested_local_includes_resolve_from_the_repository_root_with_or_without_slash()
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "include: [{ local: /ci/a.yml }]\n",
            ["ci/a.yml"] = "include: ci/b.yml\na: { script: a }\n",
            ["ci/b.yml"] = "b: { script: b }\n",
        });
        Assert.Equal(["a", "b"], result.Plan!.Names().Order());
    }

    [Fact]
    public void Wildcard_includes_take_every_matching_yaml_file()
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "include: 'ci/*.yml'\n",
            ["ci/one.yml"] = "one: { script: x }\n",
            ["ci/two.yml"] = "two: { script: x }\n",
            ["ci/deep/three.yml"] = "three: { script: x }\n",
            ["ci/readme.md"] = "not yaml",
        });
        Assert.Equal(["one", "two"], result.Plan!.Names().Order());
    }

    [Fact]
    public void Include_rules_decide_per_entry()
    {
        var files = new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = """
                include:
                  - local: main.yml
                    rules: [{ if: '$CI_COMMIT_BRANCH == "main"' }]
                  - local: other.yml
                    rules: [{ if: '$CI_COMMIT_BRANCH != "main"' }]
                """,
            ["main.yml"] = "on_main: { script: x }\n",
            ["other.yml"] = "elsewhere: { script: x }\n",
        };
        Assert.Equal(["on_main"], Compile(files).Plan!.Names());
        Assert.Equal(["elsewhere"], Compile(files, Branch("feature")).Plan!.Names());
    }

    [Fact]
    public void A_missing_local_file_is_reported_where_it_is_included()
    {
        var result = Compile("include:\n  - local: ci/missing.yml\njob: { script: x }\n");
        var error = result.Error("include-missing");
        Assert.Contains("ci/missing.yml", error.Message);
        Assert.Equal(2, error.Location.Line);
    }

    [Fact]
    public void Remote_template_and_component_includes_are_not_available_without_a_resolver()
    {
        var result = Compile("""
            include:
              - remote: https://example.com/ci.yml
              - template: Security/SAST.gitlab-ci.yml
              - component: gitlab.example.com/group/comp/thing@1.0
            job: { script: x }
            """);
        Assert.Equal(3, result.Diagnostics.Count(d => d.Code == "include-unavailable"));
        Assert.Contains("is not available", result.Error("include-unavailable").Message);
    }

    [Fact]
    public void A_resolver_supplies_external_includes()
    {
        var request = new CompileRequest(InMemoryConfigSource.Single("include: { template: T.yml }\n"), Branch())
        {
            ExternalIncludes = new StubResolver("from_template: { script: x }\n"),
        };
        Assert.Equal(["from_template"], PipelineCompiler.Compile(request).Plan!.Names());
    }

    [Fact]
    public void Project_includes_read_through_the_source()
    {
        var source = InMemoryConfigSource.Single("include: { project: group/lib, ref: v1, file: [/ci.yml] }\n");
        source.Projects["group/lib@v1"] = new InMemoryConfigSource(new Dictionary<string, string>
        {
            ["ci.yml"] = "include: nested.yml\nlib: { script: x }\n",
            ["nested.yml"] = "nested: { script: x }\n",
        });
        var result = PipelineCompiler.Compile(new CompileRequest(source, Branch()));
        Assert.Equal(["lib", "nested"], result.Plan!.Names().Order());
    }

    [Fact]
    public void Include_cycles_are_reported()
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "include: a.yml\njob: { script: x }\n",
            ["a.yml"] = "include: b.yml\n",
            ["b.yml"] = "include: a.yml\n",
        });
        Assert.Contains("includes itself", result.Error("include-circular").Message);
    }

    [Fact]
    public void More_than_150_includes_is_an_error()
    {
        var files = new Dictionary<string, string> { [".gitlab-ci.yml"] = "include:\n" + string.Join("\n", Enumerable.Range(0, 160).Select(i => $"  - f{i}.yml")) + "\njob: { script: x }\n" };
        for (var i = 0; i < 160; i++)
        {
            files[$"f{i}.yml"] = $"j{i}: {{ script: x }}\n";
        }

        Compile(files).Error("include-limit");
    }

    [Fact]
    public void Inputs_fill_spec_with_types_defaults_and_functions()
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = """
                include:
                  - local: tmpl.yml
                    inputs: { name: Build-Job, flags: [a, b] }
                """,
            ["tmpl.yml"] = """
                spec:
                  inputs:
                    name: {}
                    stage: { default: test, options: [build, test] }
                    flags: { type: array }
                    enabled: { type: boolean, default: true }
                ---
                "$[[ inputs.name | truncate(0,5) ]]-job":
                  stage: $[[ inputs.stage ]]
                  script: ["echo $[[ inputs.name ]]"]
                  interruptible: $[[ inputs.enabled ]]
                """,
        });
        var job = Assert.IsType<Plan.PipelinePlan>(result.Plan!).Job("Build-job");
        Assert.Equal("test", job.Stage);
        Assert.Equal(["echo Build-Job"], job.Script.ToArray());
        Assert.True(job.Interruptible);
    }

    [Theory]
    [InlineData("inputs: { stage: deploy }", "inputs-options")]
    [InlineData("inputs: { nope: 1, name: x }", "inputs-unknown")]
    [InlineData("inputs: { }", "inputs-required")]
    [InlineData("inputs: { name: [1] }", "inputs-type")]
    public void Bad_inputs_are_reported(string inputs, string code)
    {
        var result = Compile(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = $"include:\n  - local: t.yml\n    {inputs}\nother: {{ script: x }}\n",
            ["t.yml"] = "spec:\n  inputs:\n    name: {}\n    stage: { default: test, options: [build, test] }\n---\njob: { script: [\"$[[ inputs.name ]]\"] }\n",
        });
        result.Error(code);
    }

    private sealed class StubResolver(string text) : IExternalIncludeResolver
    {
        public string? Resolve(string kind, string location) => text;
    }
}
