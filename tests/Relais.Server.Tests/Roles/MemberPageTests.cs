using System.Net;

namespace Relais.Server.Tests.Roles;

/// <summary>
/// The members pages over HTTP (a script's <c>PRIVATE-TOKEN</c> header stands for a session): anyone who sees the
/// source lists members; a Reporter may not add one (403), a Maintainer may; a stranger gets 404 for a private group.
/// </summary>
public sealed class MemberPageTests
{
    [Fact]
    public async Task Members_pages_list_for_members_refuse_a_reporter_adding_and_let_a_maintainer_add()
    {
        await using var team = await Team.StartAsync();
        await team.ProjectAsync("app");

        using (var list = await SendAsync(team, "rep", HttpMethod.Get, "acme/app/-/project_members"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        using (var refused = await SendAsync(team, "rep", HttpMethod.Post, "acme/app/-/project_members", ("username", "stranger"), ("access_level", "30")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var added = await SendAsync(team, "maint", HttpMethod.Post, "groups/acme/-/group_members", ("username", "stranger"), ("access_level", "20")))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode); // the redirect back to the page, followed
        }

        var (_, members, _) = await team.AsAsync("root", HttpMethod.Get, $"groups/{team.GroupId}/members");
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("username").GetString() == "stranger" && m.GetProperty("access_level").GetInt32() == 20);
        using (var visible = await SendAsync(team, "stranger", HttpMethod.Get, "groups/acme"))
        {
            Assert.Equal(HttpStatusCode.OK, visible.StatusCode);
        }

        using var hidden = await SendAsync(team, "alice", HttpMethod.Get, "groups/acme/-/group_members");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(Team team, string user, HttpMethod method, string path, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("PRIVATE-TOKEN", user == "alice" ? Api.ApiFixture.AliceToken : Team.Token(user));
        if (form.Length > 0)
        {
            request.Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        }

        return await team.Api.Server.Http.SendAsync(request);
    }
}
