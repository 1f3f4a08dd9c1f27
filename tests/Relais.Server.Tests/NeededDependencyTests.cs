using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>
/// The job payload's <c>dependencies</c> follow GitLab's <c>Ci::BuildDependencies</c>: with <c>needs</c>, only the jobs
/// both named in <c>dependencies</c> and needed with artifacts are downloaded (issue #20, item 3).
/// </summary>
public sealed class NeededDependencyTests
{
    private const string Pipeline = """
        stages: [build, test]
        one: { stage: build, script: [one] }
        two: { stage: build, script: [two] }
        test:
          stage: test
          needs: [{ job: one, artifacts: false }, two]
          dependencies: [one, two]
          script: [test]
        """;

    [Fact]
    public async Task A_dependency_needed_without_artifacts_is_not_in_the_payload()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var (_, runner) = await server.RegisterRunnerAsync();
        var created = await server.CreatePipelineAsync(Pipeline);
        Assert.DoesNotContain(created.Diagnostics, d => d.Severity == Relais.Pipelines.Diagnostics.Severity.Error);
        foreach (var _ in new[] { 1, 2 })
        {
            var build = (await server.RequestJobAsync(runner))!;
            (await server.UpdateJobAsync(build, "success")).Dispose();
        }

        var test = (await server.RequestJobAsync(runner))!;

        Assert.Equal("test", test.JobInfo.Name);
        Assert.Equal(["two"], test.Dependencies.Select(d => d.Name));
    }
}
