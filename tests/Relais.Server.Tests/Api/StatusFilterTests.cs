using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>Status filters on the REST lists work on both stores (PostgreSQL needs <c>= ANY(@list)</c>, not <c>IN @list</c>).</summary>
public sealed class StatusFilterTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Jobs_and_pipelines_are_filtered_by_status(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var created = await server.CreatePipelineAsync("stages: [one, two]\na: {stage: one, script: [x]}\nb: {stage: two, script: [x]}\n");
        var project = (await server.Host.Stores.Pipelines.CurrentJobsAsync(created.Id))[0].ProjectId;

        Assert.Equal(1, await CountAsync(server, $"api/v4/projects/{project}/jobs?scope[]=pending"));
        Assert.Equal(2, await CountAsync(server, $"api/v4/projects/{project}/jobs?scope[]=pending&scope[]=created"));
        Assert.Equal(1, await CountAsync(server, $"api/v4/projects/{project}/pipelines?status=pending"));
        Assert.Equal(0, await CountAsync(server, $"api/v4/projects/{project}/pipelines?status=success"));
    }

    private static async Task<int> CountAsync(TestServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetArrayLength();
    }
}
