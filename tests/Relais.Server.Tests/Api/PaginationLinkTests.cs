using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// GitLab's <c>Link</c> header on every paged list: clients follow its <c>next</c> relation to read everything, so
/// without it python-gitlab's <c>get_all=True</c> silently stopped after the first page (issue #14).
/// </summary>
public sealed class PaginationLinkTests
{
    private const string Yaml = "build: {script: [echo build]}";

    [Fact]
    public async Task A_middle_page_links_to_prev_next_first_and_last_keeping_the_other_query_parameters()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        for (var i = 0; i < 3; i++)
        {
            await api.RunPipelineAsync(project);
        }

        var (_, list, response) = await api.GetAsync("projects/root%2Fdemo/pipelines?ref=main&per_page=1&page=2");

        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal("api", list[0].GetProperty("source").GetString());
        var link = string.Join(", ", response.Headers.GetValues("Link"));
        var url = api.Server.Host.ExternalUrl + "/api/v4/projects/root%2Fdemo/pipelines";
        Assert.Equal(
            $"<{url}?ref=main&page=1&per_page=1>; rel=\"prev\", <{url}?ref=main&page=3&per_page=1>; rel=\"next\", "
            + $"<{url}?ref=main&page=1&per_page=1>; rel=\"first\", <{url}?ref=main&page=3&per_page=1>; rel=\"last\"",
            link);
    }

    [Fact]
    public async Task The_last_page_has_no_next_link()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.RunPipelineAsync(project);

        var (_, _, response) = await api.GetAsync($"projects/{project}/pipelines");

        var link = string.Join(", ", response.Headers.GetValues("Link"));
        Assert.DoesNotContain("rel=\"next\"", link, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"last\"", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_status_filter_is_400_as_in_gitlab_not_an_empty_list()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);

        var (status, body, _) = await api.GetAsync($"projects/{project}/pipelines?status=bogus");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Equal("status does not have a valid value", body.GetProperty("error").GetString());
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_get_all_reads_every_page_of_pipelines_and_projects()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.ProjectWithConfigAsync("other", Yaml);
        for (var i = 0; i < 5; i++)
        {
            await api.RunPipelineAsync(project);
        }

        var counts = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            print(json.dumps([len(p.pipelines.list(get_all=True, per_page=1)), len(gl.projects.list(get_all=True, per_page=1))]))
            """);

        Assert.Equal("[5,2]", counts.GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }
}
