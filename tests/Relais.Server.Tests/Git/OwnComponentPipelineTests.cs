using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Git;

/// <summary>A push whose configuration includes the project's own component at its commit, GitLab's way to test components (issue #20 item 7).</summary>
public sealed class OwnComponentPipelineTests
{
    [Fact]
    public async Task The_projects_own_component_at_the_pushed_commit_makes_its_jobs()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            include:
              - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/lint@$CI_COMMIT_SHA
                inputs: { target: src }
            """);
        git.Write("templates/lint/template.yml", "spec:\n  inputs:\n    target:\n---\nlint-$[[ inputs.target ]]:\n  script: echo lint\n");
        git.Commit("component");
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git", "main");

        var stores = server.Host.Stores;
        var pipeline = await stores.Pipelines.GetPipelineAsync(1);
        Assert.NotNull(pipeline);
        var jobs = await stores.Pipelines.CurrentJobsAsync(1);
        Assert.Equal(["lint-src"], jobs.Select(j => j.Name));
    }
}
