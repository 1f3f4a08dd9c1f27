using System.Net;
using Relais.Server.Environments;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Environments;

/// <summary>
/// A blocked deployment on its environment's page (issue #16, protected environments): "Waiting for approval" with
/// Approve and Reject forms; a Developer's answer is refused in GitLab's words, a Maintainer's approval unblocks it.
/// </summary>
public sealed class DeploymentApprovalFormTests : IAsyncLifetime
{
    private WebServer _server = null!;
    private EnvironmentSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        _seed = new EnvironmentSeed(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_blocked_deployment_waits_for_approval_and_a_maintainer_approves_it_from_the_page()
    {
        var project = await _seed.ProjectAsync();
        var stores = _server.Host.Stores;
        var aliceId = (await stores.Identity.FindTokenAsync(Relais.Server.Auth.Tokens.Hash(WebServer.AliceToken), DateTimeOffset.UtcNow))!.Id;
        await stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = project.Id, UserId = aliceId, AccessLevel = 30 }, DateTimeOffset.UtcNow);
        await stores.ProtectedEnvironments.CreateAsync(
            new ProtectedEnvironmentRecord { ProjectId = project.Id, Name = "production", RequiredApprovalCount = 1, DeployAccessLevels = [new() { AccessLevel = 40 }] },
            DateTimeOffset.UtcNow);
        var pipeline = await _server.CreatePipelineAsync("deploy: {stage: deploy, script: [echo deploy]}");
        var production = await _seed.EnvironmentAsync(project, "production");
        var deployment = await _seed.DeploymentAsync(project, production, await _server.JobIdAsync(pipeline.Id, "deploy"), pipeline.Id, DeploymentStatuses.Blocked, aliceId);

        using var alice = await SignedInAsync(WebServer.AliceToken);
        var page = await alice.GetStringAsync($"root/demo/-/environments/{production.Id}");
        Assert.Contains("Waiting for approval", page);
        Assert.Contains($"aria-label=\"Approve deployment #{deployment.Iid}\"", page);
        using (var refused = await alice.PostAsync($"root/demo/-/environments/{production.Id}/approval", EnvironmentSeed.Form(WebServer.HiddenToken(page), ("deployment_id", deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", "approved"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(DeploymentApprovals.NoPermission), await refused.Content.ReadAsStringAsync());
        }

        using var root = await SignedInAsync(null);
        var rootPage = await root.GetStringAsync($"root/demo/-/environments/{production.Id}");
        using (var approved = await root.PostAsync($"root/demo/-/environments/{production.Id}/approval", EnvironmentSeed.Form(WebServer.HiddenToken(rootPage), ("deployment_id", deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", "approved"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        Assert.Equal(DeploymentStatuses.Created, (await stores.Deployments.GetAsync(deployment.Id))!.Status);
        Assert.Equal("approved", Assert.Single(await stores.DeploymentApprovals.ListAsync(deployment.Id)).Status);
        Assert.DoesNotContain("Waiting for approval", await root.GetStringAsync($"root/demo/-/environments/{production.Id}"));
    }

    private async Task<HttpClient> SignedInAsync(string? token)
    {
        var client = _server.NewClient(out _);
        using var signIn = token is null
            ? await WebServer.SignInAsync(client, "root", WebServer.RootPassword)
            : await WebServer.SignInAsync(client, null, token, withToken: true);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }
}
