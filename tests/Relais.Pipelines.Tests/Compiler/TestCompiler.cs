using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Sources;

namespace Relais.Pipelines.Tests.Compiler;

/// <summary>Compiles in-memory repositories for the compiler's tests.</summary>
internal static class TestCompiler
{
    public static PipelineContext Branch(string name = "main", PipelineSource source = PipelineSource.Push) =>
        new() { Ref = name, Source = source, DefaultBranch = "main", RefProtected = name == "main" };

    public static PipelineContext Tag(string name) => new() { Ref = name, IsTag = true, DefaultBranch = "main" };

    public static CompileResult Compile(string yaml, PipelineContext? context = null) =>
        Compile(new Dictionary<string, string> { [".gitlab-ci.yml"] = yaml }, context);

    public static CompileResult Compile(Dictionary<string, string> files, PipelineContext? context = null) =>
        PipelineCompiler.Compile(new CompileRequest(new InMemoryConfigSource(files), context ?? Branch()));

    public static PipelinePlan PlanOf(string yaml, PipelineContext? context = null)
    {
        var result = Compile(yaml, context);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return Assert.IsType<PipelinePlan>(result.Plan);
    }

    public static JobPlan Job(this PipelinePlan plan, string name) =>
        plan.Jobs.FirstOrDefault(j => j.Name == name) ?? throw new Xunit.Sdk.XunitException(
            $"no job `{name}` in the plan; it has: {string.Join(", ", plan.Jobs.Select(j => j.Name))}");

    public static string[] Names(this PipelinePlan plan) => [.. plan.Jobs.Select(j => j.Name)];

    public static Diagnostic Error(this CompileResult result, string code)
    {
        Assert.True(result.HasErrors, "expected errors, got none");
        return result.Diagnostics.FirstOrDefault(d => d.Code == code && d.Severity == Severity.Error)
            ?? throw new Xunit.Sdk.XunitException($"no `{code}` error; got:\n{string.Join("\n", result.Diagnostics)}");
    }
}
