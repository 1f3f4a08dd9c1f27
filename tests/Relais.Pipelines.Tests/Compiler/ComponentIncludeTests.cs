using Relais.Pipelines.Sources;
using static Relais.Pipelines.Tests.Compiler.TestCompiler;

namespace Relais.Pipelines.Tests.Compiler;

/// <summary><c>include:component</c> of components on this server, above all the project's own (issue #20 item 7).</summary>
public sealed class ComponentIncludeTests
{
    private static readonly Context.PipelineContext Context = Branch() with { Sha = "0123456789abcdef0123456789abcdef01234567", ProjectPath = "group/app" };

    [Fact]
    public void The_projects_own_component_at_its_commit_is_read_from_the_source()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(new InMemoryConfigSource(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = """
                include:
                  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/flat@$CI_COMMIT_SHA
                    inputs: { stage: build }
                  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/nested@$CI_COMMIT_SHA
                stages: [build, test]
                """,
            ["templates/flat.yml"] = "spec:\n  inputs:\n    stage:\n---\nflat:\n  stage: $[[ inputs.stage ]]\n  script: x\n",
            ["templates/nested/template.yml"] = "nested: { script: x }\n",
        }), Context));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(["flat", "nested"], result.Plan!.Names().Order());
        Assert.Equal("build", result.Plan.Job("flat").Stage);
    }

    [Fact]
    public void Another_version_or_project_on_this_server_is_read_through_the_source()
    {
        var source = new InMemoryConfigSource(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = "include: [{ component: $CI_SERVER_FQDN/group/lib/lint@v1.0.0 }]\n",
        });
        source.Projects["group/lib@v1.0.0"] = new InMemoryConfigSource(new Dictionary<string, string> { ["templates/lint.yml"] = "lint: { script: x }\n" });
        var result = PipelineCompiler.Compile(new CompileRequest(source, Context));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal(["lint"], result.Plan!.Names());
    }

    [Fact]
    public void A_missing_component_names_the_files_looked_for()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(
            "include: [{ component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/absent@$CI_COMMIT_SHA }]\njob: { script: x }\n"), Context));
        var error = result.Error("include-component");
        Assert.Contains("templates/absent.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains("templates/absent/template.yml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_on_this_server_that_cannot_be_read_is_not_available()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(
            "include: [{ component: $CI_SERVER_FQDN/group/comp/thing@1.0 }]\njob: { script: x }\n"), Context));
        Assert.Contains("is not available", result.Error("include-unavailable").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_component_on_another_server_is_still_external()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(
            "include: [{ component: gitlab.com/components/sast/sast@1.0 }]\njob: { script: x }\n"), Context));
        Assert.Contains("is not available", result.Error("include-unavailable").Message, StringComparison.Ordinal);
    }
}
