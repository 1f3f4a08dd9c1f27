using Relais.Pipelines;
using Relais.Pipelines.Sources;
using static Relais.Dispatch.Tests.PayloadTestSupport;

namespace Relais.Dispatch.Tests;

public sealed class ArtifactDependenciesTests
{
    private const string Pipeline = """
        stages: [build, test, deploy]
        a: { stage: build, script: x }
        b: { stage: build, script: x }
        c: { stage: test, script: x }
        by_stage: { stage: deploy, script: x }
        by_dependencies: { stage: deploy, script: x, dependencies: [b] }
        by_needs: { stage: deploy, script: x, needs: [{ job: a, artifacts: false }, { job: c }] }
        none: { stage: deploy, script: x, dependencies: [] }
        needed_without_artifacts: { stage: deploy, script: x, needs: [{ job: a, artifacts: false }, b], dependencies: [a, b] }
        needs_none: { stage: deploy, script: x, needs: [], dependencies: [a] }
        needed_with_artifacts: { stage: deploy, script: x, needs: [a, { job: b, artifacts: true }], dependencies: [b, a] }
        """;

    [Theory]
    [InlineData("a", "")]
    [InlineData("by_stage", "a,b,c")]
    [InlineData("by_dependencies", "b")]
    [InlineData("by_needs", "c")]
    [InlineData("none", "")]
    [InlineData("needed_without_artifacts", "b")] // GitLab's Ci::BuildDependencies: dependencies ∩ needs with artifacts
    [InlineData("needed_with_artifacts", "b,a")]
    [InlineData("needs_none", "")] // `needs: []` schedules by needs (GitLab's scheduling_type dag): no candidates
    public void Dependencies_win_then_needs_with_artifacts_then_every_earlier_stage(string job, string expected)
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single(Pipeline), Push()));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var plan = result.Plan!;
        Assert.Equal(expected, string.Join(',', ArtifactDependencies.Of(plan, plan.Job(job)!)));
    }
}
