using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;
using Relais.TestSupport;

namespace Relais.Server.Tests.Triggers;

/// <summary>
/// The pipeline scheduler in <c>relais serve</c>: due schedules run by themselves (on the server's clock, in their time
/// zone), and a due run is claimed by exactly one coordinator when several share one database.
/// </summary>
public sealed class SchedulerTests
{
    private const string Yaml = "build: {script: [echo]}";

    [Fact]
    public async Task A_due_schedule_runs_on_the_servers_clock_at_its_time_in_its_zone()
    {
        // 2026-03-29 is the night Paris moves to summer time: 03:00 there is 01:00 UTC (02:00 the day before).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { Time = clock, ScheduleInterval = TimeSpan.FromMinutes(1) });
        var project = await ProjectAsync(server, "demo");

        var schedule = await PostAsync(server, $"projects/{project}/pipeline_schedules", """{"description": "d", "ref": "main", "cron": "0 3 * * *", "cron_timezone": "Europe/Paris"}""");
        Assert.Equal("2026-03-29T01:00:00.000Z", schedule.GetProperty("next_run_at").GetString());

        clock.Advance(TimeSpan.FromHours(12)); // 00:00 UTC: not yet
        await Task.Delay(300);
        Assert.Empty(await RunsAsync(server, project, schedule));
        for (var i = 0; i < 200 && (await RunsAsync(server, project, schedule)).Count == 0; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }

        var runs = await RunsAsync(server, project, schedule);
        Assert.Equal(["schedule"], runs.Select(r => r.GetProperty("source").GetString()));
        var after = await GetAsync(server, $"projects/{project}/pipeline_schedules/{schedule.GetProperty("id").GetInt64()}");
        Assert.Equal("2026-03-30T01:00:00.000Z", after.GetProperty("next_run_at").GetString());
    }

    [PostgresFact]
    public async Task Two_coordinators_on_one_database_create_exactly_one_pipeline_per_due_run()
    {
        Func<ServerOptions, ServerOptions> fast = o => o with { ScheduleInterval = TimeSpan.FromMilliseconds(50) };
        await using var first = await TestServer.StartAsync(Stores.Postgres, configure: fast);
        await using var second = await TestServer.StartAsync(Stores.Postgres, database: first.Database, configure: fast);
        second.KeepData = true; // the first one drops the database
        var project = await ProjectAsync(first, "demo");
        var store = first.Host.Stores.Schedules;
        const int Schedules = 20, Rounds = 2;
        var ids = new List<long>();
        for (var i = 0; i < Schedules; i++)
        {
            ids.Add((await PostAsync(first, $"projects/{project}/pipeline_schedules", $$"""{"description": "yearly {{i}}", "ref": "main", "cron": "0 0 1 1 *"}""")).GetProperty("id").GetInt64());
        }

        for (var round = 1; round <= Rounds; round++)
        {
            // Every schedule due at once: both coordinators list them while the other is still creating pipelines.
            foreach (var id in ids)
            {
                var row = (await store.GetScheduleAsync(project, id))!;
                await store.UpdateScheduleAsync(row with { NextRunAt = SqlKeyStore.StoredTime(DateTimeOffset.UtcNow.AddMinutes(-1)) }, DateTimeOffset.UtcNow);
            }

            for (var wait = 0; wait < 400 && (await store.ListDueSchedulesAsync(DateTimeOffset.UtcNow, 100)).Count > 0; wait++)
            {
                await Task.Delay(50);
            }

            await Task.Delay(1000); // time for a second, wrong, pipeline to appear
            foreach (var id in ids)
            {
                Assert.Equal(round, (await store.ListScheduleRunsAsync(id)).Count);
            }
        }

        Assert.Equal((Schedules * Rounds).ToString(CultureInfo.InvariantCulture), await TotalAsync(first, $"projects/{project}/pipelines?per_page=1"));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Concurrent_claims_of_one_due_run_succeed_once_and_inactive_schedules_are_never_due(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var schedules = server.Host.Stores.Schedules;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var due = SqlKeyStore.StoredTime(DateTimeOffset.UtcNow.AddMinutes(-1));
        var row = await schedules.AddScheduleAsync(new PipelineScheduleRecord { ProjectId = project.Id, OwnerId = 1, Description = "d", Ref = "main", Cron = "* * * * *", NextRunAt = due }, DateTimeOffset.UtcNow);
        await schedules.AddScheduleAsync(new PipelineScheduleRecord { ProjectId = project.Id, OwnerId = 1, Description = "off", Ref = "main", Cron = "* * * * *", Active = false, NextRunAt = due }, DateTimeOffset.UtcNow);

        var listed = await schedules.ListDueSchedulesAsync(DateTimeOffset.UtcNow, 10);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            schedules.ClaimScheduleRunAsync(row.Id, due, SqlKeyStore.StoredTime(DateTimeOffset.UtcNow.AddMinutes(1)), DateTimeOffset.UtcNow))));

        Assert.Equal([row.Id], listed.Select(s => s.Id));
        Assert.Single(claims, won => won);
        Assert.Empty(await schedules.ListDueSchedulesAsync(DateTimeOffset.UtcNow, 10));
    }

    private static async Task<long> ProjectAsync(TestServer server, string name)
    {
        var project = await PostAsync(server, "projects", $$"""{"name": "{{name}}"}""");
        var id = project.GetProperty("id").GetInt64();
        await StoredConfigs.SaveAsync(server, id, Yaml);
        return id;
    }

    private static async Task<List<JsonElement>> RunsAsync(TestServer server, long project, JsonElement schedule) =>
        await GetListAsync(server, $"projects/{project}/pipeline_schedules/{schedule.GetProperty("id").GetInt64()}/pipelines");

    private static async Task<JsonElement> PostAsync(TestServer server, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v4/" + path) { Content = TestServer.Json(json) };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    private static async Task<JsonElement> GetAsync(TestServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/" + path);
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }

    private static async Task<string?> TotalAsync(TestServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/" + path);
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        return response.Headers.TryGetValues("X-Total", out var total) ? total.Single() : null;
    }

    private static async Task<List<JsonElement>> GetListAsync(TestServer server, string path) =>
        [.. (await GetAsync(server, path)).EnumerateArray()];
}
