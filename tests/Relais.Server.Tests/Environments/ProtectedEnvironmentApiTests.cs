using System.Net;
using Relais.Server.Environments;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using static Relais.Server.Tests.Environments.DeploymentFlow;
using static Relais.Server.Tests.Environments.ProtectedDeploymentFlow;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// The protected environments API and the deployment approval route in GitLab's shapes: python-gitlab's
/// <c>project.protected_environments</c> and <c>deployment.approval(…)</c>, and GitLab's status codes and errors over plain HTTP.
/// </summary>
public sealed class ProtectedEnvironmentApiTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_protects_lists_updates_and_unprotects_and_approves_a_blocked_deployment()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(200));
        var users = await MembersAsync(server);
        var project = await server.Host.Stores.Projects.FindProjectAsync("root/demo");

        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project!.Id}})
            made = p.protected_environments.create({"name": "production", "deploy_access_levels": [{"access_level": 40}, {"user_id": {{users["dev"].Id}}}], "required_approval_count": 1})
            p.protected_environments.create({"name": "review/feature-x", "deploy_access_levels": [{"access_level": 30}]})
            listed = [e.name for e in p.protected_environments.list(get_all=True)]
            got = p.protected_environments.get("review/feature-x").attributes
            p.protected_environments.delete("review/feature-x")
            after = [e.name for e in p.protected_environments.list()]
            print(json.dumps({"made": made.attributes, "listed": listed, "got": got, "after": after}))
            """);

        var made = result.GetProperty("made");
        Assert.Equal(("production", 1), (made.GetProperty("name").GetString(), made.GetProperty("required_approval_count").GetInt32()));
        var levels = made.GetProperty("deploy_access_levels");
        Assert.Equal((40, "Maintainers", 0), (levels[0].GetProperty("access_level").GetInt32(), levels[0].GetProperty("access_level_description").GetString(), levels[0].GetProperty("group_inheritance_type").GetInt32()));
        Assert.Equal((users["dev"].Id, "dev"), (levels[1].GetProperty("user_id").GetInt64(), levels[1].GetProperty("access_level_description").GetString()));
        Assert.Equal(0, made.GetProperty("approval_rules").GetArrayLength());
        Assert.Equal(["production", "review/feature-x"], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Developers + Maintainers", result.GetProperty("got").GetProperty("deploy_access_levels")[0].GetProperty("access_level_description").GetString());
        Assert.Equal(["production"], result.GetProperty("after").EnumerateArray().Select(e => e.GetString()));

        // A blocked deployment, approved by another Maintainer through python-gitlab.
        var job = await JobAsync(server, await PipelineByAsync(server, Deploy, users["maint"]), "deploy");
        var deployment = await DeploymentAsync(server, job.Id, DeploymentStatuses.Blocked);
        var approval = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TokenOf("maint2"), $$"""
            d = gl.projects.get({{project.Id}}).deployments.get({{deployment.Id}})
            print(json.dumps({"status": d.status, "approval": d.approval(status="approved", comment="LGTM")}))
            """);
        Assert.Equal("blocked", approval.GetProperty("status").GetString());
        Assert.Equal(("approved", "LGTM", "maint2"), (approval.GetProperty("approval").GetProperty("status").GetString(), approval.GetProperty("approval").GetProperty("comment").GetString(), approval.GetProperty("approval").GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal(DeploymentStatuses.Created, (await server.Host.Stores.Deployments.GetAsync(deployment.Id))!.Status);

        var refused = await PythonGitLab.RunRawAsync(server.Host.ExternalUrl, TokenOf("maint2"), $$"""
            gl.projects.get({{project.Id}}).deployments.get({{deployment.Id}}).approval(status="approved")
            """);
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("GitlabDeploymentApprovalError", refused.Err, StringComparison.Ordinal);
        Assert.Contains(DeploymentApprovals.NotBlocked, refused.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_api_answers_with_gitlabs_status_codes_and_errors(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var users = await MembersAsync(server);
        const string Route = "projects/root%2Fdemo/protected_environments";

        Assert.Equal(HttpStatusCode.Forbidden, (await ApiAsync(server, HttpMethod.Get, Route, token: TokenOf("dev"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApiAsync(server, HttpMethod.Post, Route, """{"name": "x", "deploy_access_levels": [{"access_level": 40}]}""", TokenOf("dev"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await ApiAsync(server, HttpMethod.Get, Route, token: TokenOf("maint"))).Status);

        var (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"required_approval_count": 1}""");
        Assert.Equal((HttpStatusCode.BadRequest, "name, deploy_access_levels are missing"), (status, body.GetProperty("error").GetString()));
        (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "production", "deploy_access_levels": [{"access_level": 50}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "deploy_access_levels[0][access_level] does not have a valid value"), (status, body.GetProperty("error").GetString()));
        (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "production", "deploy_access_levels": [{"access_level": 40}], "required_approval_count": 6}""");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Required approval count must be less than or equal to 5"), (status, body.GetProperty("message")[0].GetString()));
        (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "production", "deploy_access_levels": [{"user_id": 999999}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);

        (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "production", "deploy_access_levels": [{"access_level": 40}]}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(0, body.GetProperty("required_approval_count").GetInt32());
        (status, body) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "production", "deploy_access_levels": [{"access_level": 30}]}""");
        Assert.Equal((HttpStatusCode.Conflict, "Protected environment 'production' already exists"), (status, body.GetProperty("message").GetString()));

        (status, body) = await ApiAsync(server, HttpMethod.Get, Route + "/staging");
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), (status, body.GetProperty("message").GetString()));
        (status, body) = await ApiAsync(server, HttpMethod.Put, Route + "/production", """{"required_approval_count": 2}""");
        Assert.Equal((HttpStatusCode.OK, 2), (status, body.GetProperty("required_approval_count").GetInt32()));
        var only = body.GetProperty("deploy_access_levels")[0].GetProperty("id").GetInt64();
        (status, body) = await ApiAsync(server, HttpMethod.Put, Route + "/production", $$"""{"deploy_access_levels": [{"id": {{only}}, "_destroy": true}]}""");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Deploy access levels is too short (minimum is 1 character)"), (status, body.GetProperty("message")[0].GetString()));

        // The approval route: a deployment of an environment that is not protected, or without required approvals.
        var job = await JobAsync(server, await PipelineByAsync(server, "deploy:\n  script: [x]\n  environment: staging\n", users["maint"]), "deploy");
        var deployment = await DeploymentAsync(server, job.Id, DeploymentStatuses.Created);
        (status, body) = await AnswerAsync(server, deployment.Id, "maint2", "approved");
        Assert.Equal((HttpStatusCode.BadRequest, DeploymentApprovals.NotProtected), (status, body.GetProperty("message").GetString()));
        (status, _) = await ApiAsync(server, HttpMethod.Post, Route, """{"name": "staging", "deploy_access_levels": [{"access_level": 40}]}""");
        Assert.Equal(HttpStatusCode.Created, status);
        (status, body) = await AnswerAsync(server, deployment.Id, "maint2", "approved");
        Assert.Equal((HttpStatusCode.BadRequest, DeploymentApprovals.NotConfigured), (status, body.GetProperty("message").GetString()));
        (status, body) = await ApiAsync(server, HttpMethod.Post, "projects/root%2Fdemo/deployments/999999/approval", """{"status": "approved"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);

        Assert.Equal(HttpStatusCode.NoContent, (await ApiAsync(server, HttpMethod.Delete, Route + "/production")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiAsync(server, HttpMethod.Delete, Route + "/production")).Status);
    }
}
