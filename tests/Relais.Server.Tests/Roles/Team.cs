using System.Globalization;
using System.Net;
using System.Text.Json;
using Relais.Server.Auth;
using Relais.Server.Tests.Api;

namespace Relais.Server.Tests.Roles;

/// <summary>
/// A server with a group <c>acme</c> (root its Owner) and users who each hold one role in it, added through the
/// members API: <c>guest</c>, <c>rep</c>, <c>dev</c>, <c>maint</c>; <c>stranger</c> has none. Each user's token is <c>glpat-NAME-token</c>.
/// </summary>
internal sealed class Team : IAsyncDisposable
{
    public static readonly string[] Roles = ["guest", "rep", "dev", "maint"];

    private Team(ApiFixture api, long groupId, Dictionary<string, long> users)
    {
        Api = api;
        GroupId = groupId;
        Users = users;
    }

    public ApiFixture Api { get; }

    public long GroupId { get; }

    public IReadOnlyDictionary<string, long> Users { get; }

    public static string Token(string user) => $"glpat-{user}-token";

    public static async Task<Team> StartAsync(string store = Support.Stores.Sqlite)
    {
        var api = await ApiFixture.StartAsync(store);
        var identity = api.Server.Host.Stores.Identity;
        var users = new Dictionary<string, long>(StringComparer.Ordinal) { ["root"] = (await identity.FindSignInAsync("root"))!.Id };
        foreach (var name in Roles.Append("stranger"))
        {
            var user = await identity.AddUserAsync(name, false, DateTimeOffset.UtcNow);
            await identity.AddPersonalAccessTokenAsync(user!.Id, "api", Tokens.Hash(Token(name)), DateTimeOffset.UtcNow);
            users[name] = user.Id;
        }

        var (status, group, _) = await api.PostAsync("groups", """{"name":"Acme","path":"acme"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var groupId = group.GetProperty("id").GetInt64();
        var levels = new[] { AccessLevel.Guest, AccessLevel.Reporter, AccessLevel.Developer, AccessLevel.Maintainer };
        for (var i = 0; i < Roles.Length; i++)
        {
            var (added, body, _) = await api.PostAsync($"groups/{groupId}/members", $$"""{"user_id":{{users[Roles[i]]}},"access_level":{{(int)levels[i]}}}""");
            Assert.True(added == HttpStatusCode.Created, body.ToString());
        }

        return new Team(api, groupId, users);
    }

    /// <summary>Creates a project in <paramref name="namespaceId"/> (the group by default) as root, with a stored CI configuration.</summary>
    public async Task<long> ProjectAsync(string name, long? namespaceId = null, string visibility = "private", string yaml = "build:\n  script: [echo hi]\n")
    {
        var (status, json, _) = await Api.PostAsync("projects", $$"""{"name":"{{name}}","namespace_id":{{namespaceId ?? GroupId}},"visibility":"{{visibility}}"}""");
        Assert.True(status == HttpStatusCode.Created, json.ToString());
        var id = json.GetProperty("id").GetInt64();
        await Support.StoredConfigs.SaveAsync(Api.Server, id, yaml);
        return id;
    }

    public Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> AsAsync(string user, HttpMethod method, string path, string? json = null) =>
        Api.SendAsync(method, path, user == "root" ? Support.TestServer.RootToken : Token(user), json);

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
