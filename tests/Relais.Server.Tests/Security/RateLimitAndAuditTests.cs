using System.Net;
using System.Text.Json;
using Relais.Server.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>Failed authentication is rate limited (429 + Retry-After) without locking out good tokens; token use and administrative actions are audited.</summary>
public sealed class RateLimitAndAuditTests
{
    [Fact]
    public async Task Repeated_failed_authentication_gets_429_with_Retry_After_while_good_tokens_keep_working()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { AuthThrottle = new AuthThrottleOptions { FailuresPerKey = 5, FailuresPerAddress = 12, Window = TimeSpan.FromMinutes(5) } });
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", TestServer.RootToken)).Status);

        // One token prefix from one address: 5 failures, then 429 without the token being looked at.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "user", $"glpat-AAAA-guess-{i}")).Status);
        }

        using (var limited = await GetUserAsync(f, "glpat-AAAA-guess-next"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 300);
            Assert.Contains("429", JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // Other prefixes still get answers until the address as a whole is over its limit…
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "user", $"glpat-B{i:D3}-guess")).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await f.RestAsync(HttpMethod.Get, "user", "glpat-CCCC-guess")).Status);

        // …while a token that worked from this address is not limited, nor are runner calls with a good token.
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", TestServer.RootToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "projects", TestServer.RootToken)).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_audit_log_records_token_use_by_kind_failed_authentication_and_administrative_actions(string store)
    {
        await using var f = await SecurityFixture.StartAsync(store: store);
        var project = await f.ProjectAsync("demo", """
            build: { script: [make] }
            deploy: { script: [ship], when: manual }
            """);
        await f.RestAsync(HttpMethod.Put, $"projects/{project}", TestServer.RootToken, """{"visibility":"public"}""");
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"SECRET","value":"never-in-the-log-1","masked":true}""");
        await f.RestAsync(HttpMethod.Put, $"projects/{project}/variables/SECRET", TestServer.RootToken, """{"value":"never-in-the-log-2"}""");
        await f.RestAsync(HttpMethod.Delete, $"projects/{project}/variables/SECRET", TestServer.RootToken);
        var (runnerId, runner) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);
        var build = (await f.TakeJobAsync(runner))!;
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(build, 0, "hello\n")).StatusCode);
        var (_, jobs) = await f.RestAsync(HttpMethod.Get, $"projects/{project}/pipelines/{pipeline}/jobs", TestServer.RootToken);
        var deploy = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "deploy").GetProperty("id").GetInt64();
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/jobs/{deploy}/play", TestServer.RootToken);
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/pipelines/{pipeline}/cancel", TestServer.RootToken);
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/pipelines/{pipeline}/retry", TestServer.RootToken);
        await f.RestAsync(HttpMethod.Get, "user", "glpat-wrong-token");
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "api/v4/runners") { Content = TestServer.Json($$"""{"token":"{{runner}}"}""") })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await f.Http.SendAsync(delete)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Get, "audit_events", f.AliceToken)).Status);
        var (status, events) = await f.RestAsync(HttpMethod.Get, "audit_events?per_page=100", TestServer.RootToken);
        Assert.Equal(HttpStatusCode.OK, status);
        var all = events.EnumerateArray().ToList();
        var names = all.Select(e => e.GetProperty("event_name").GetString()).ToHashSet();
        foreach (var expected in new[]
        {
            "user_created", "personal_access_token_created", "project_created", "project_visibility_changed", "variable_created",
            "variable_updated", "variable_deleted", "runner_registered", "job_played", "pipeline_canceled", "pipeline_retried",
            "runner_deleted", "authentication_failed", "token_used",
        })
        {
            Assert.Contains(expected, names);
        }

        // Token use by kind: a personal token (root), the runner's, and the job's.
        var uses = all.Where(e => e.GetProperty("event_name").GetString() == "token_used").Select(e => e.GetProperty("entity_type").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "User", "Runner", "Job" }, uses);
        var created = all.Single(e => e.GetProperty("event_name").GetString() == "project_created");
        Assert.Equal("root", created.GetProperty("details").GetProperty("author_name").GetString());
        Assert.Equal("127.0.0.1", created.GetProperty("details").GetProperty("ip_address").GetString());
        Assert.Equal(project, created.GetProperty("entity_id").GetInt64());
        Assert.NotNull(created.GetProperty("created_at").GetString());
        Assert.Contains(all, e => e.GetProperty("event_name").GetString() == "runner_registered" && e.GetProperty("entity_id").GetInt64() == runnerId);
        Assert.DoesNotContain("never-in-the-log", events.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("glpat-wrong-token", events.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetUserAsync(SecurityFixture f, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/user");
        request.Headers.Add("PRIVATE-TOKEN", token);
        return await f.Http.SendAsync(request);
    }
}
