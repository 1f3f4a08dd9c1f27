using System.Net;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// What the protected environment tests share: root/demo with a Developer <c>dev</c> and two Maintainers <c>maint</c>
/// and <c>maint2</c> (each with a token named after them), pipelines caused by one of them, and API calls as one of them.
/// </summary>
internal static class ProtectedDeploymentFlow
{
    public const string Deploy = "deploy:\n  script: [deploy]\n  environment: production\n";

    public static string TokenOf(string username) => "glpat-" + username + "-token";

    /// <summary>root/demo and its members; the users by name.</summary>
    public static async Task<Dictionary<string, UserRecord>> MembersAsync(TestServer server)
    {
        var stores = server.Host.Stores;
        var project = await stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var users = new Dictionary<string, UserRecord>();
        foreach (var (name, level) in new[] { ("dev", AccessLevel.Developer), ("maint", AccessLevel.Maintainer), ("maint2", AccessLevel.Maintainer) })
        {
            var user = (await stores.Identity.AddUserAsync(name, false, DateTimeOffset.UtcNow))!;
            await stores.Identity.AddPersonalAccessTokenAsync(user.Id, "api", Tokens.Hash(TokenOf(name)), DateTimeOffset.UtcNow);
            await stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = project.Id, UserId = user.Id, AccessLevel = (int)level }, DateTimeOffset.UtcNow);
            users[name] = user;
        }

        return users;
    }

    /// <summary>A pipeline of root/demo on main that <paramref name="user"/> caused.</summary>
    public static async Task<long> PipelineByAsync(TestServer server, string yaml, UserRecord user, char sha = 'a')
    {
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var context = new PipelineContext { Ref = "main", Sha = new string(sha, 40), User = new PipelineUser(user.Id, user.Username, user.Username, "") };
        var created = await server.Host.Pipelines.CreateAsync(project, new PipelineInput(InMemoryConfigSource.Single(yaml), context));
        Assert.Empty(created.Diagnostics);
        return created.Id;
    }

    /// <summary>A call to the API as the owner of <paramref name="token"/> (JSON body); its status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ApiAsync(TestServer server, HttpMethod method, string path, string? json = null, string token = TestServer.RootToken)
    {
        using var request = new HttpRequestMessage(method, "api/v4/" + path) { Content = json is null ? null : TestServer.Json(json) };
        request.Headers.Add("PRIVATE-TOKEN", token);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Protects production (root's call) with <paramref name="levels"/> and <paramref name="approvals"/>.</summary>
    public static async Task ProtectAsync(TestServer server, string levels = """[{"access_level": 40}]""", int approvals = 0)
    {
        var (status, body) = await ApiAsync(server, HttpMethod.Post, "projects/root%2Fdemo/protected_environments",
            $$"""{"name": "production", "deploy_access_levels": {{levels}}, "required_approval_count": {{approvals}}}""");
        Assert.True(status == HttpStatusCode.Created, body.ToString());
    }

    /// <summary><c>POST /deployments/:id/approval</c> as <paramref name="username"/>.</summary>
    public static Task<(HttpStatusCode Status, JsonElement Body)> AnswerAsync(TestServer server, long deploymentId, string username, string status, string? comment = null) =>
        ApiAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/deployments/{deploymentId}/approval",
            JsonSerializer.Serialize(new Dictionary<string, string?> { ["status"] = status, ["comment"] = comment }), TokenOf(username));
}
