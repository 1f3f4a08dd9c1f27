using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Keyset pagination on <c>GET /projects</c> (<c>pagination=keyset&amp;order_by=id</c>, issue #14): a <c>Link</c> with
/// <c>rel="next"</c> only while rows follow, carrying <c>id_after</c> or <c>id_before</c>, no totals; python-gitlab's
/// <c>get_all=True, pagination="keyset"</c> reads every project both ways; another order is GitLab's 405.
/// </summary>
public sealed class KeysetPaginationTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_reads_every_project_with_keyset_pagination_both_ways()
    {
        await using var api = await ApiFixture.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.ProjectWithConfigAsync($"p{i}", "build: {script: [x]}"));
        }

        var read = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            up = gl.projects.list(pagination="keyset", order_by="id", sort="asc", per_page=2, get_all=True)
            down = gl.projects.list(pagination="keyset", order_by="id", sort="desc", per_page=2, get_all=True)
            print(json.dumps([[p.id for p in up], [p.id for p in down]]))
            """);

        Assert.Equal(ids, read[0].EnumerateArray().Select(x => x.GetInt64()).ToList());
        Assert.Equal(Enumerable.Reverse(ids).ToList(), read[1].EnumerateArray().Select(x => x.GetInt64()).ToList());
    }

    [Fact]
    public async Task A_keyset_page_links_only_to_the_next_one_and_other_orders_are_405()
    {
        await using var api = await ApiFixture.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await api.ProjectWithConfigAsync($"p{i}", "build: {script: [x]}"));
        }

        var (status, first, response) = await api.GetAsync("projects?pagination=keyset&order_by=id&sort=asc&per_page=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ids.Take(2), first.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        var link = response.Headers.GetValues("Link").Single();
        Assert.EndsWith($"id_after={ids[1]}>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Total"));

        var (_, last, lastResponse) = await api.GetAsync($"projects?pagination=keyset&order_by=id&sort=asc&per_page=2&id_after={ids[1]}");
        Assert.Equal([ids[2]], last.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        Assert.False(lastResponse.Headers.Contains("Link"));

        var (_, down, downResponse) = await api.GetAsync("projects?pagination=keyset&order_by=id&sort=desc&per_page=1");
        Assert.Equal(ids[2], down[0].GetProperty("id").GetInt64());
        Assert.Contains($"id_before={ids[2]}", downResponse.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        var (refused, error, _) = await api.GetAsync("projects?pagination=keyset&order_by=name");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused);
        Assert.Equal("Keyset pagination is not yet available for this type of request", error.GetProperty("error").GetString());
    }
}
