using System.Net;
using System.Text.Json;
using Relais.Server.Storage;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;
using Relais.Server.Webhooks;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Webhooks;

/// <summary>Webhooks sent to a real listener on 127.0.0.1 as pipelines run and pushes land, retried when it fails.</summary>
public sealed class WebhookDeliveryTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_pipeline_that_runs_sends_job_and_pipeline_hooks_in_gitlabs_shape_with_its_headers(string store)
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(store, allowLocal: true);
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"pipeline_events":true,"job_events":true,"token":"s3cret"}""");
        var (_, runner) = await server.RegisterRunnerAsync();

        var created = await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");
        var job = (await server.RequestJobAsync(runner))!;
        var finishedAt = DateTimeOffset.UtcNow;
        using (await server.UpdateJobAsync(job, "success"))
        {
        }

        var (done, before) = await listener.UntilAsync(h => h.Event == "Pipeline Hook" && Status(h) == "success");
        output.WriteLine($"{store}: job finished → pipeline success hook received: {(done.At - finishedAt).TotalMilliseconds:F0} ms");
        var headers = done.Headers;
        Assert.Equal("s3cret", headers["X-Gitlab-Token"]);
        Assert.True(Guid.TryParse(headers["X-Gitlab-Event-UUID"], out _));
        Assert.True(Guid.TryParse(headers["X-Gitlab-Webhook-UUID"], out _));
        Assert.Equal(server.Host.ExternalUrl, headers["X-Gitlab-Instance"]);
        Assert.StartsWith("GitLab/", headers["User-Agent"], StringComparison.Ordinal);
        Assert.StartsWith("application/json", headers["Content-Type"], StringComparison.Ordinal);

        var body = done.Body;
        Assert.Equal("pipeline", body.GetProperty("object_kind").GetString());
        var attributes = body.GetProperty("object_attributes");
        Assert.Equal(created.Id, attributes.GetProperty("id").GetInt64());
        Assert.Equal("main", attributes.GetProperty("ref").GetString());
        Assert.Equal("push", attributes.GetProperty("source").GetString());
        Assert.Equal("passed", attributes.GetProperty("detailed_status").GetString());
        Assert.Equal(["test"], attributes.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        Assert.EndsWith($"/root/demo/-/pipelines/{created.Id}", attributes.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("merge_request").ValueKind);
        Assert.Equal("root/demo", body.GetProperty("project").GetProperty("path_with_namespace").GetString());
        Assert.Equal(new string('a', 40), body.GetProperty("commit").GetProperty("id").GetString());
        var build = Assert.Single(body.GetProperty("builds").EnumerateArray());
        Assert.Equal((job.Id, "build", "success"), (build.GetProperty("id").GetInt64(), build.GetProperty("name").GetString(), build.GetProperty("status").GetString()));

        var all = before.Append(done).ToList();
        var pipelineStatuses = all.Where(h => h.Event == "Pipeline Hook").Select(Status).ToList();
        Assert.Equal(["pending", "running", "success"], pipelineStatuses);
        var jobHooks = all.Where(h => h.Event == "Job Hook").ToList();
        while (!jobHooks.Any(h => h.Body.GetProperty("build_status").GetString() == "success"))
        {
            jobHooks.Add(await listener.NextAsync());
        }

        Assert.Contains("running", jobHooks.Select(h => h.Body.GetProperty("build_status").GetString()));
        var finished = jobHooks.Single(h => h.Body.GetProperty("build_status").GetString() == "success").Body;
        Assert.Equal("build", finished.GetProperty("object_kind").GetString());
        Assert.Equal((job.Id, "build", "test"), (finished.GetProperty("build_id").GetInt64(), finished.GetProperty("build_name").GetString(), finished.GetProperty("build_stage").GetString()));
        Assert.Equal(created.Id, finished.GetProperty("pipeline_id").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, finished.GetProperty("build_finished_at").ValueKind);
        Assert.Equal("root/demo", finished.GetProperty("project").GetProperty("path_with_namespace").GetString());
        Assert.Equal("demo", finished.GetProperty("repository").GetProperty("name").GetString());
        Assert.Equal("Job Hook", jobHooks[0].Headers["X-Gitlab-Event"]);
    }

    [Fact]
    public async Task A_git_push_sends_one_push_hook_with_its_commits_and_a_tag_push_sends_a_tag_push_hook()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        var remote = $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";
        using var git = GitClient.Init();
        git.Write("README.md", "hello");
        var first = git.Commit("first");
        git.Ok("push", "--quiet", remote, "main");
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":true,"tag_push_events":true}""");

        git.Write("README.md", "hello again");
        git.Commit("second");
        git.Write("README.md", "and again");
        var third = git.Commit("third\n\nwith a body");
        var pushedAt = DateTimeOffset.UtcNow;
        git.Ok("push", "--quiet", remote, "main");

        var push = await listener.NextAsync();
        output.WriteLine($"git push started → push hook received: {(push.At - pushedAt).TotalMilliseconds:F0} ms");
        Assert.Equal("Push Hook", push.Event);
        var body = push.Body;
        Assert.Equal(("push", "push"), (body.GetProperty("object_kind").GetString(), body.GetProperty("event_name").GetString()));
        Assert.Equal((first, third, "refs/heads/main"), (body.GetProperty("before").GetString(), body.GetProperty("after").GetString(), body.GetProperty("ref").GetString()));
        Assert.Equal(third, body.GetProperty("checkout_sha").GetString());
        Assert.Equal("root", body.GetProperty("user_username").GetString());
        Assert.Equal(2, body.GetProperty("total_commits_count").GetInt32());
        var commits = body.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(["second", "third"], commits.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal("third\n\nwith a body", commits[1].GetProperty("message").GetString());
        Assert.Equal("Ada Lovelace", commits[1].GetProperty("author").GetProperty("name").GetString());
        Assert.Equal("root/demo", body.GetProperty("project").GetProperty("path_with_namespace").GetString());
        Assert.True(body.GetProperty("ref_protected").GetBoolean());

        git.Ok("tag", "v1.0");
        git.Ok("push", "--quiet", remote, "v1.0");
        var tag = await listener.NextAsync();
        Assert.Equal("Tag Push Hook", tag.Event);
        Assert.Equal("tag_push", tag.Body.GetProperty("object_kind").GetString());
        Assert.Equal(("refs/tags/v1.0", third), (tag.Body.GetProperty("ref").GetString(), tag.Body.GetProperty("after").GetString()));
        Assert.True(await listener.QuietForAsync(TimeSpan.FromMilliseconds(500))); // one event per push
    }

    [Fact]
    public async Task A_failing_receiver_gets_the_same_event_again_with_growing_waits_and_the_delivery_shows_it()
    {
        await using var listener = new HookListener { Answer = n => n <= 2 ? 500 : 200 };
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        var hook = await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"pipeline_events":true}""");

        await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");
        var tries = new[] { await listener.NextAsync(), await listener.NextAsync(), await listener.NextAsync() };

        Assert.Single(tries.Select(t => t.Headers["X-Gitlab-Event-UUID"]).Distinct());
        var (wait1, wait2) = (tries[1].At - tries[0].At, tries[2].At - tries[1].At);
        Assert.True(wait1 >= TimeSpan.FromMilliseconds(250), $"first retry after {wait1}");
        Assert.True(wait2 >= TimeSpan.FromMilliseconds(550), $"second retry after {wait2} (doubled)");
        var delivered = await WebhookServer.EventWhereAsync(server, hook, e => e.GetProperty("state").GetString() == "delivered");
        Assert.Equal(("200", 3, "pipeline_hooks"), (delivered.GetProperty("response_status").GetString(), delivered.GetProperty("attempts").GetInt32(), delivered.GetProperty("trigger").GetString()));
        Assert.Equal("pipeline", delivered.GetProperty("request_data").GetProperty("object_kind").GetString());

        // A Maintainer resends it: the same event again.
        var (status, _) = await WebhookServer.CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/hooks/{hook}/events/{delivered.GetProperty("id").GetInt64()}/resend");
        Assert.Equal(HttpStatusCode.Created, status);
        var resent = await listener.NextAsync();
        Assert.Equal(tries[0].Headers["X-Gitlab-Event-UUID"], resent.Headers["X-Gitlab-Event-UUID"]);
    }

    [Fact]
    public async Task A_hook_that_keeps_failing_is_paused_and_its_deliveries_wait()
    {
        await using var listener = new HookListener { Answer = _ => 503 };
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true, o => o with { FailuresBeforePause = 2, PauseBase = TimeSpan.FromHours(1) });
        var hook = await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"pipeline_events":true}""");

        await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");
        await listener.NextAsync();
        await listener.NextAsync();

        Assert.True(await listener.QuietForAsync(TimeSpan.FromSeconds(1.5)));
        var (_, view) = await WebhookServer.CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/hooks/{hook}");
        Assert.Equal("temporarily_disabled", view.GetProperty("alert_status").GetString());
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("disabled_until").ValueKind);
        var waiting = Assert.Single(await WebhookServer.EventsAsync(server, hook));
        Assert.Equal(("pending", "503"), (waiting.GetProperty("state").GetString(), waiting.GetProperty("response_status").GetString()));
    }

    [Fact]
    public async Task The_test_route_sends_a_sample_at_once_and_answers_201_or_422()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        var hook = await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}"}""");

        var (none, noneBody) = await WebhookServer.CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/hooks/{hook}/test/pipeline_events");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Ensure the project has CI pipelines."), (none, noneBody.GetProperty("message").GetString()));

        await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");
        var (header, _) = await WebhookServer.CallAsync(server, HttpMethod.Put, $"projects/root%2Fdemo/hooks/{hook}/custom_headers/X-Team", """{"value":"ci"}""");
        Assert.Equal(HttpStatusCode.NoContent, header);
        var (badHeader, _) = await WebhookServer.CallAsync(server, HttpMethod.Put, $"projects/root%2Fdemo/hooks/{hook}/custom_headers/X-Team", """{"value":"a\r\nX-Evil: 1"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badHeader);
        var (status, body) = await WebhookServer.CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/hooks/{hook}/test/pipeline_events");
        Assert.Equal((HttpStatusCode.Created, """{"message":"201 Created"}"""), (status, body.GetRawText()));
        var sample = await listener.NextAsync();
        Assert.Equal(("Pipeline Hook", "pipeline", "ci"), (sample.Event, sample.Body.GetProperty("object_kind").GetString(), sample.Headers["X-Team"]));
        var (_, shown) = await WebhookServer.CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/hooks/{hook}");
        Assert.Equal("""[{"key":"X-Team"}]""", shown.GetProperty("custom_headers").GetRawText()); // the value is never shown

        listener.Answer = _ => 404;
        var (failed, failedBody) = await WebhookServer.CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/hooks/{hook}/test/job_events");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Hook executed successfully but returned HTTP 404"), (failed, failedBody.GetProperty("message").GetString()));
        var (bogus, _) = await WebhookServer.CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/hooks/{hook}/test/bogus_events");
        Assert.Equal(HttpStatusCode.BadRequest, bogus);
    }

    [Fact]
    public async Task A_deployment_reported_by_the_publisher_reaches_hooks_with_deployment_events_only()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"pipeline_events":true}""");
        var hook = await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"deployment_events":true}""");

        await server.Host.Webhooks!.Events.DeploymentAsync(new DeploymentEvent(
            1, 7, "success", "production", "https://example.com", 42, "main", new string('b', 40), "Ship it", new Relais.Pipelines.Context.PipelineUser(1, "root", "Administrator", "root@example.com"), DateTimeOffset.UtcNow));

        var received = await listener.NextAsync();
        Assert.Equal("Deployment Hook", received.Event);
        var body = received.Body;
        Assert.Equal(("deployment", "success", 7, 42), (body.GetProperty("object_kind").GetString(), body.GetProperty("status").GetString(), body.GetProperty("deployment_id").GetInt32(), body.GetProperty("deployable_id").GetInt32()));
        Assert.Equal(("production", "main", "bbbbbbbb", "root"), (body.GetProperty("environment").GetString(), body.GetProperty("ref").GetString(), body.GetProperty("short_sha").GetString(), body.GetProperty("user").GetProperty("username").GetString()));
        Assert.True(await listener.QuietForAsync(TimeSpan.FromMilliseconds(500))); // the pipeline-only hook got nothing
        Assert.Single(await WebhookServer.EventsAsync(server, hook));
    }

    private static string? Status(ReceivedHook h) => h.Body.GetProperty("object_attributes").GetProperty("status").GetString();
}
