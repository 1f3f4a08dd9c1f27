using System.Net.Http.Json;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Git;

/// <summary>
/// A pushed commit's <c>include: local:</c> paths are looked up as written, as GitLab does (issue #20, item 12):
/// <c>./a.yml</c> names no file (and does not break the reads of the other includes), <c>/b.yml</c> does.
/// </summary>
public sealed class LocalIncludePathTests
{
    [Fact]
    public async Task A_dot_path_is_one_missing_file_and_the_other_includes_are_still_read()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "include:\n  - local: ./a.yml\n  - local: /b.yml\n  - local: c.yml\nmain:\n  script: [echo]\n");
        git.Write("a.yml", "a:\n  script: [echo a]\n");
        git.Write("b.yml", "b:\n  script: [echo b]\n");
        git.Write("c.yml", "c:\n  script: [echo c]\n");
        git.Commit("first");

        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git", "main");

        Assert.Equal(CiStatus.Failed, (await server.Host.Stores.Pipelines.GetPipelineAsync(1))!.Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/projects/root%2Fdemo/pipelines/1");
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("yaml_errors").GetString()!;
        Assert.Contains("local file `./a.yml` does not exist", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("b.yml", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("c.yml", errors, StringComparison.Ordinal);
    }
}
