using System.Net;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Environments;

/// <summary>
/// The environments pages over real HTTP (issue #16): tabs and folders, the last deployment's facts, escaping, and the
/// Stop, Delete and Re-deploy/Rollback forms (role, anti-forgery token, what they do through the environment actions).
/// </summary>
public sealed class EnvironmentPageTests : IAsyncLifetime
{
    /// <summary>
    /// The jobs the seeded deployments point at. Without <c>environment:</c>, so the deployments these tests write are the
    /// only ones whatever the pipelines make themselves.
    /// </summary>
    private const string DeployYaml = """
        deploy: {stage: deploy, script: [echo deploy]}
        """;

    private WebServer _server = null!;
    private EnvironmentSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        _seed = new EnvironmentSeed(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Environments_are_listed_in_available_and_stopped_tabs_with_folders_and_their_last_deployment()
    {
        var project = await _seed.ProjectAsync();
        var pipeline = await _server.CreatePipelineAsync(DeployYaml);
        var job = await _server.JobIdAsync(pipeline.Id, "deploy");
        var production = await _seed.EnvironmentAsync(project, "production", "https://prod.example.com/");
        var deployment = await _seed.DeploymentAsync(project, production, job, pipeline.Id, DeploymentStatuses.Success, await _seed.RootIdAsync());
        await _seed.EnvironmentAsync(project, "staging");
        await _seed.EnvironmentAsync(project, "review/feature-x");
        await _seed.EnvironmentAsync(project, "review/feature-y");
        await _seed.EnvironmentAsync(project, "review/old", state: EnvironmentStates.Stopped);
        using var root = await SignedInAsync(null);

        var available = await root.GetStringAsync("root/demo/-/environments");
        Assert.Contains("<a href=\"/root/demo/-/environments\" aria-current=\"page\">Available <span class=\"count\">4</span></a>", available);
        Assert.Contains("<a href=\"/root/demo/-/environments?scope=stopped\">Stopped <span class=\"count\">1</span></a>", available);
        Assert.Contains("<a href=\"/root/demo/-/environments\" aria-current=\"page\">Environments</a>", available);
        Assert.Contains("data-folder=\"review\"", available);
        Assert.Contains("review <span class=\"count\" aria-label=\"2 environments\">2</span>", available);
        Assert.Contains("<a href=\"/root/demo/-/environments/folders/review\">Show all 2 in review</a>", available);
        Assert.DoesNotContain("review/old", available);
        Assert.Contains("<a class=\"external-url\" href=\"https://prod.example.com/\" rel=\"noopener noreferrer\" target=\"_blank\">", available);
        var row = Row(available, "production");
        Assert.Contains($"<strong>#{deployment.Iid}</strong>", row);
        Assert.Contains("✓</span> success", row);
        Assert.Contains($"job <a href=\"/root/demo/-/jobs/{job}\">deploy #{job}</a>", row);
        Assert.Contains($"pipeline <a href=\"/root/demo/-/pipelines/{pipeline.Id}\">#{pipeline.Id}</a>", row);
        Assert.Contains("<code>01234567</code></a> <span class=\"commit-title\">Test commit</span>", row);
        Assert.Contains("by root", row);
        Assert.Contains("No deployments yet", Row(available, "staging"));
        Assert.Contains("aria-label=\"Stop production\"", row);

        var stopped = await root.GetStringAsync("root/demo/-/environments?scope=stopped");
        Assert.Contains("data-environment=\"review/old\"", stopped);
        Assert.DoesNotContain("data-environment=\"production\"", stopped);
        Assert.DoesNotContain("aria-label=\"Stop review/old\"", stopped);

        var folder = await root.GetStringAsync("root/demo/-/environments/folders/review");
        Assert.Contains("<h1>Environments / review</h1>", folder);
        Assert.Contains("data-environment=\"review/feature-x\"", folder);
        Assert.Contains("data-environment=\"review/feature-y\"", folder);
        Assert.DoesNotContain("data-environment=\"production\"", folder);
        Assert.Contains("Stopped <span class=\"count\">1</span>", folder);
    }

    [Fact]
    public async Task A_hostile_environment_name_and_url_are_escaped_everywhere()
    {
        var project = await _seed.ProjectAsync();
        const string Name = "x\"><img src=x onerror=alert(1)>";
        var hostile = await _seed.EnvironmentAsync(project, Name, "javascript:alert(1)");
        await _seed.EnvironmentAsync(project, "<b>ad</b>/one");
        using var root = await SignedInAsync(null);

        foreach (var page in new[] { "root/demo/-/environments", $"root/demo/-/environments/{hostile.Id}", "root/demo/-/environments/folders/%3Cb%3Ead%3C" })
        {
            var html = await root.GetStringAsync(page);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("<b>ad", html);
            Assert.DoesNotContain("href=\"javascript:", html);
        }

        var index = await root.GetStringAsync("root/demo/-/environments");
        Assert.Contains("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", index);
        Assert.Contains("<code class=\"external-url\">javascript:alert(1)</code>", index);
        Assert.Contains("&lt;b&gt;ad&lt;", index);
    }

    [Fact]
    public async Task Stop_and_delete_need_their_role_and_the_form_token()
    {
        var project = await _seed.ProjectAsync();
        var staging = await _seed.EnvironmentAsync(project, "staging");
        var aliceId = await AliceAsync(project, 20);
        using var alice = await SignedInAsync(WebServer.AliceToken);
        var readOnly = await alice.GetStringAsync($"root/demo/-/environments/{staging.Id}");
        Assert.DoesNotContain("/stop\"", readOnly);
        using (var refused = await alice.PostAsync($"root/demo/-/environments/{staging.Id}/stop", EnvironmentSeed.Form(WebServer.HiddenToken(readOnly))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await _server.Host.Stores.Members.UpdateMemberAsync(MemberSource.Project, project.Id, aliceId, 30, null);
        var page = await alice.GetStringAsync($"root/demo/-/environments/{staging.Id}");
        Assert.Contains($"action=\"/root/demo/-/environments/{staging.Id}/stop\"", page);
        using (var forged = await alice.PostAsync($"root/demo/-/environments/{staging.Id}/stop", EnvironmentSeed.Form("not-the-token")))
        {
            Assert.Equal((HttpStatusCode)422, forged.StatusCode);
        }

        Assert.Equal(EnvironmentStates.Available, (await _server.Host.Stores.Environments.GetAsync(staging.Id))!.State);
        using (var stop = await alice.PostAsync($"root/demo/-/environments/{staging.Id}/stop", EnvironmentSeed.Form(WebServer.HiddenToken(page), ("return_to", "/root/demo/-/environments"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, stop.StatusCode);
            Assert.Equal("/root/demo/-/environments", stop.Headers.Location!.OriginalString);
        }

        Assert.NotEqual(EnvironmentStates.Available, (await _server.Host.Stores.Environments.GetAsync(staging.Id))!.State);

        // Deleting: Maintainers only, and only once stopped.
        using (var developer = await alice.PostAsync($"root/demo/-/environments/{staging.Id}/delete", EnvironmentSeed.Form(WebServer.HiddenToken(page))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, developer.StatusCode);
        }

        using var root = await SignedInAsync(null);
        var production = await _seed.EnvironmentAsync(project, "production");
        var rootPage = await root.GetStringAsync($"root/demo/-/environments/{production.Id}");
        Assert.DoesNotContain("/delete\"", rootPage);
        using (var notStopped = await root.PostAsync($"root/demo/-/environments/{production.Id}/delete", EnvironmentSeed.Form(WebServer.HiddenToken(rootPage))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notStopped.StatusCode);
            Assert.Contains("Stop the environment before deleting it.", await notStopped.Content.ReadAsStringAsync());
        }

        await _server.Host.Stores.Environments.SetStateAsync(staging.Id, EnvironmentStates.Stopped, DateTimeOffset.UtcNow);
        Assert.Contains($"action=\"/root/demo/-/environments/{staging.Id}/delete\"", await root.GetStringAsync($"root/demo/-/environments/{staging.Id}"));
        using (var delete = await root.PostAsync($"root/demo/-/environments/{staging.Id}/delete", EnvironmentSeed.Form(WebServer.HiddenToken(rootPage))))
        {
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        }

        Assert.Null(await _server.Host.Stores.Environments.GetAsync(staging.Id));
    }

    [Fact]
    public async Task Stopping_plays_the_on_stop_job_and_the_pages_say_stopping_and_refuse_a_second_stop()
    {
        var project = await _seed.ProjectAsync();
        var pipeline = await _server.CreatePipelineAsync("""
            deploy: {stage: deploy, script: [echo deploy], environment: {name: review/x, on_stop: stop-review}}
            stop-review: {stage: deploy, script: [echo stop], when: manual, environment: {name: review/x, action: stop}}
            """);
        var review = await _seed.EnvironmentAsync(project, "review/x");
        await _seed.DeploymentAsync(project, review, await _server.JobIdAsync(pipeline.Id, "deploy"), pipeline.Id, DeploymentStatuses.Success, await _seed.RootIdAsync());
        using var root = await SignedInAsync(null);
        var page = await root.GetStringAsync($"root/demo/-/environments/{review.Id}");
        var token = WebServer.HiddenToken(page);

        using (var stop = await root.PostAsync($"root/demo/-/environments/{review.Id}/stop", EnvironmentSeed.Form(token, ("return_to", "https://elsewhere.example/"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, stop.StatusCode);
            Assert.Equal($"/root/demo/-/environments/{review.Id}", stop.Headers.Location!.OriginalString);
        }

        Assert.Equal(EnvironmentStates.Stopping, (await _server.Host.Stores.Environments.GetAsync(review.Id))!.State);
        var stopping = await root.GetStringAsync($"root/demo/-/environments/{review.Id}");
        Assert.Contains("◷</span> stopping", stopping);
        Assert.Contains("Stopping…", stopping);
        Assert.DoesNotContain("/stop\"", stopping);
        var index = await root.GetStringAsync("root/demo/-/environments");
        Assert.Contains("Stopping…", Row(index, "review/x"));
        Assert.Contains("Available <span class=\"count\">1</span>", index);

        using var again = await root.PostAsync($"root/demo/-/environments/{review.Id}/stop", EnvironmentSeed.Form(token));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("role=\"alert\">", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_history_offers_redeploy_on_the_last_and_rollback_on_earlier_successes_and_posts_to_the_environment_actions()
    {
        var project = await _seed.ProjectAsync();
        var rootId = await _seed.RootIdAsync();
        var production = await _seed.EnvironmentAsync(project, "production");
        var first = await _server.CreatePipelineAsync(DeployYaml);
        var second = await _server.CreatePipelineAsync(DeployYaml);
        var third = await _server.CreatePipelineAsync(DeployYaml);
        var old = await _seed.DeploymentAsync(project, production, await _server.JobIdAsync(first.Id, "deploy"), first.Id, DeploymentStatuses.Success, rootId);
        var failed = await _seed.DeploymentAsync(project, production, await _server.JobIdAsync(second.Id, "deploy"), second.Id, DeploymentStatuses.Failed, rootId);
        var last = await _seed.DeploymentAsync(project, production, await _server.JobIdAsync(third.Id, "deploy"), third.Id, DeploymentStatuses.Success, rootId);
        var otherEnvironment = await _seed.EnvironmentAsync(project, "staging");
        var elsewhere = await _seed.DeploymentAsync(project, otherEnvironment, null, null, DeploymentStatuses.Success, rootId);
        await AliceAsync(project, 20);
        using var root = await SignedInAsync(null);

        var page = await root.GetStringAsync($"root/demo/-/environments/{production.Id}");
        Assert.True(page.IndexOf($"data-deployment=\"{last.Iid}\"", StringComparison.Ordinal) < page.IndexOf($"data-deployment=\"{old.Iid}\"", StringComparison.Ordinal), "newest first");
        Assert.Contains($"aria-label=\"Re-deploy deployment #{last.Iid}\"", page);
        Assert.Contains($"aria-label=\"Rollback deployment #{old.Iid}\"", page);
        Assert.DoesNotContain($"deployment #{failed.Iid}\"", page);
        Assert.Contains("Deployments <span class=\"count\">3</span>", page);
        var token = WebServer.HiddenToken(page);

        using (var forged = await root.PostAsync($"root/demo/-/environments/{production.Id}/redeploy", EnvironmentSeed.Form("forged", ("deployment_id", $"{old.Id}"))))
        {
            Assert.Equal((HttpStatusCode)422, forged.StatusCode);
        }

        using (var wrongEnvironment = await root.PostAsync($"root/demo/-/environments/{production.Id}/redeploy", EnvironmentSeed.Form(token, ("deployment_id", $"{elsewhere.Id}"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, wrongEnvironment.StatusCode);
        }

        using (var rollback = await root.PostAsync($"root/demo/-/environments/{production.Id}/redeploy", EnvironmentSeed.Form(token, ("deployment_id", $"{old.Id}"))))
        {
            // The environment actions decide: a new job (then its page), or a refusal the page shows.
            if (rollback.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Matches("^/root/demo/-/jobs/[0-9]+$", rollback.Headers.Location!.OriginalString);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, rollback.StatusCode);
                Assert.Contains("This deployment was not re-deployed: ", await rollback.Content.ReadAsStringAsync());
            }
        }

        using var alice = await SignedInAsync(WebServer.AliceToken);
        var readOnly = await alice.GetStringAsync($"root/demo/-/environments/{production.Id}");
        Assert.DoesNotContain("/redeploy\"", readOnly);
        using var refused = await alice.PostAsync($"root/demo/-/environments/{production.Id}/redeploy", EnvironmentSeed.Form(WebServer.HiddenToken(readOnly), ("deployment_id", $"{old.Id}")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Environments_of_a_private_project_are_hidden_from_strangers()
    {
        var project = await _seed.ProjectAsync();
        var production = await _seed.EnvironmentAsync(project, "production");
        using var alice = await SignedInAsync(WebServer.AliceToken);
        using var list = await alice.GetAsync("root/demo/-/environments");
        using var one = await alice.GetAsync($"root/demo/-/environments/{production.Id}");
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        using var nobody = _server.NewClient(out _);
        using var anonymous = await nobody.GetAsync("root/demo/-/environments");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    /// <summary>The table row of <paramref name="name"/>.</summary>
    internal static string Row(string html, string name)
    {
        var start = html.IndexOf($"<tr data-environment=\"{name}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, name + " is listed");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private async Task<long> AliceAsync(ProjectRecord project, int level)
    {
        var aliceId = (await _server.Host.Stores.Identity.FindTokenAsync(Relais.Server.Auth.Tokens.Hash(WebServer.AliceToken), DateTimeOffset.UtcNow))!.Id;
        await _server.Host.Stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = project.Id, UserId = aliceId, AccessLevel = level }, DateTimeOffset.UtcNow);
        return aliceId;
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
