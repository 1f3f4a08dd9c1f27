using System.Net;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The pipeline schedules page over real HTTP: added with variables (escaped), listed with its next run, refused when unreadable, deleted.</summary>
public sealed class SchedulePageTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Schedules_are_added_listed_and_deleted_on_their_page()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        using var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        var page = await root.GetStringAsync("root/demo/-/pipeline_schedules");
        Assert.Contains("No pipeline schedules.", page);
        var token = WebServer.HiddenToken(page);

        using var bad = await root.PostAsync("root/demo/-/pipeline_schedules", Form(token, ("description", "x"), ("ref", "main"), ("cron", "sometimes"), ("cron_timezone", "UTC")));
        Assert.Contains("error=form", bad.Headers.Location!.OriginalString);
        using var created = await root.PostAsync("root/demo/-/pipeline_schedules", Form(
            token, ("description", "nightly <b>"), ("ref", "main"), ("cron", "0 1 * * *"), ("cron_timezone", "Europe/Paris"), ("variables", "GREETING=hi there\nMODE=fast")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        var schedule = Assert.Single(await _server.Host.Stores.Schedules.ListSchedulesAsync(project.Id, null));
        Assert.Equal(("nightly <b>", "Europe/Paris", 1L), (schedule.Description, schedule.CronTimezone, schedule.OwnerId));
        Assert.NotNull(schedule.NextRunAt);
        Assert.Equal(["GREETING=hi there", "MODE=fast"], (await _server.Host.Stores.Schedules.ListScheduleVariablesAsync(schedule.Id)).Select(v => v.Key + "=" + v.Value));
        var listed = await root.GetStringAsync("root/demo/-/pipeline_schedules");
        Assert.Contains("nightly &lt;b&gt;", listed);
        Assert.Contains("<code>0 1 * * *</code> Europe/Paris", listed);

        using var deleted = await root.PostAsync($"root/demo/-/pipeline_schedules/{schedule.Id}/delete", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty(await _server.Host.Stores.Schedules.ListSchedulesAsync(project.Id, null));
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields)
    {
        var all = new Dictionary<string, string> { ["authenticity_token"] = token };
        foreach (var (k, v) in fields)
        {
            all[k] = v;
        }

        return new FormUrlEncodedContent(all);
    }
}
