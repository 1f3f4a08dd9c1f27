using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary>The project hooks API in GitLab's shapes, through python-gitlab and plain HTTP.</summary>
public sealed class WebhookApiTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_creates_lists_updates_and_deletes_a_hook_and_never_sees_its_token()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);

        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get("root/demo")
            h = p.hooks.create({"url": "{{listener.Url}}", "pipeline_events": True, "token": "s3cret", "name": "ci", "push_events_branch_filter": "release/*"})
            h.url = "{{listener.Url}}"
            h.job_events = True
            h.save()
            got = p.hooks.get(h.id)
            out = {"id": got.id, "url": got.url, "name": got.name, "push": got.push_events, "pipeline": got.pipeline_events, "job": got.job_events,
                   "tag": got.tag_push_events, "filter": got.push_events_branch_filter, "token": hasattr(got, "token"), "ssl": got.enable_ssl_verification,
                   "alert": got.alert_status, "count": len(p.hooks.list(get_all=True))}
            got.delete()
            out["after"] = len(p.hooks.list(get_all=True))
            print(json.dumps(out))
            """);

        Assert.Equal(listener.Url, result.GetProperty("url").GetString());
        Assert.Equal("ci", result.GetProperty("name").GetString());
        Assert.True(result.GetProperty("push").GetBoolean()); // GitLab's default
        Assert.True(result.GetProperty("pipeline").GetBoolean());
        Assert.True(result.GetProperty("job").GetBoolean());
        Assert.False(result.GetProperty("tag").GetBoolean());
        Assert.Equal("release/*", result.GetProperty("filter").GetString());
        Assert.False(result.GetProperty("token").GetBoolean());
        Assert.True(result.GetProperty("ssl").GetBoolean());
        Assert.Equal("executable", result.GetProperty("alert").GetString());
        Assert.Equal((1, 0), (result.GetProperty("count").GetInt32(), result.GetProperty("after").GetInt32()));
    }

    [Fact]
    public async Task Hooks_are_for_maintainers_and_a_missing_one_is_404()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.Server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);

        var (missing, body, _) = await api.GetAsync("projects/root%2Fdemo/hooks/99");
        Assert.Equal((HttpStatusCode.NotFound, """{"message":"404 Hook Not Found"}"""), (missing, body.GetRawText()));
        var (noUrl, _, _) = await api.PostAsync("projects/root%2Fdemo/hooks", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, noUrl);
        var (alice, _, _) = await api.GetAsync("projects/root%2Fdemo/hooks", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.NotFound, alice); // not a member: the project is not visible to her
    }
}
