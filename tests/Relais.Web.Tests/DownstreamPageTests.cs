using System.Net;
using Relais.Protocol;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The pipeline page's links between a pipeline and the child or multi-project pipelines its bridge jobs created (issue #14).</summary>
public sealed class DownstreamPageTests
{
    [Fact]
    public async Task A_parent_lists_its_downstream_pipeline_under_its_bridge_and_the_child_links_back()
    {
        await using var server = await WebServer.StartAsync();
        var parent = await server.CreatePipelineAsync("deploy-elsewhere: {trigger: {project: root/nowhere}}");
        var child = await server.CreatePipelineAsync("child-job: {script: [echo]}");
        var bridge = await server.JobIdAsync(parent.Id, "deploy-elsewhere");
        await server.Host.Stores.Downstream.LinkAsync(child.Id, parent.Id, bridge);
        var client = server.NewClient(out _);
        using (var signIn = await WebServer.SignInAsync(client, "root", WebServer.RootPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var parentPage = await client.GetStringAsync($"root/demo/-/pipelines/{parent.Id}");
        var childPage = await client.GetStringAsync($"root/demo/-/pipelines/{child.Id}");

        Assert.Contains("<h2 id=\"downstream-title\">Downstream</h2>", parentPage);
        Assert.Contains($"<strong>deploy-elsewhere</strong> → <a href=\"/root/demo/-/pipelines/{child.Id}\">root/demo #{child.Id}</a>", parentPage);
        Assert.Contains($"Triggered by <a href=\"/root/demo/-/pipelines/{parent.Id}\">pipeline #{parent.Id}</a>", childPage);
        Assert.DoesNotContain("downstream-title", childPage);
        Assert.Equal(CiStatus.Pending, child.Status);
    }
}
