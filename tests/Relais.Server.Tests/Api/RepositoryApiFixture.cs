using System.Net;
using Relais.Server.Tests.Git;

namespace Relais.Server.Tests.Api;

/// <summary>An API server with root/demo pushed by real git: <c>main</c> with two commits and <c>feature/one</c> at the first.</summary>
internal sealed class RepositoryApiFixture : IAsyncDisposable
{
    private RepositoryApiFixture(ApiFixture api, GitClient git, long project, string first, string second)
    {
        Api = api;
        Git = git;
        Project = project;
        First = first;
        Second = second;
    }

    public ApiFixture Api { get; }

    public GitClient Git { get; }

    public long Project { get; }

    /// <summary>The first commit (where <c>feature/one</c> points).</summary>
    public string First { get; }

    /// <summary>The second commit (<c>main</c>).</summary>
    public string Second { get; }

    public string Remote => $"http://root:{Support.TestServer.RootToken}@127.0.0.1:{Api.Server.Port}/root/demo.git";

    public static async Task<RepositoryApiFixture> StartAsync()
    {
        var api = await ApiFixture.StartAsync();
        var git = GitClient.Init();
        git.Write("README.md", "# demo\n");
        git.Write("src/app.txt", "one\n");
        var first = git.Commit("First commit\n\nWith a body.");
        git.Write("src/app.txt", "two\n");
        var second = git.Commit("Second commit");
        var remote = $"http://root:{Support.TestServer.RootToken}@127.0.0.1:{api.Server.Port}/root/demo.git";
        git.Ok("push", "--quiet", remote, "main");
        git.Ok("push", "--quiet", remote, first + ":refs/heads/feature/one");
        var (status, json, _) = await api.GetAsync("projects/root%2Fdemo");
        Assert.Equal(HttpStatusCode.OK, status);
        return new RepositoryApiFixture(api, git, json.GetProperty("id").GetInt64(), first, second);
    }

    public async ValueTask DisposeAsync()
    {
        Git.Dispose();
        await Api.DisposeAsync();
    }
}
