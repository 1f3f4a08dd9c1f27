using System.Net;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>
/// The CI/CD settings pages over real HTTP with a signed-in session: project variables edited and deleted (a masked
/// value never in the page), trigger tokens added, shown and revoked, a schedule edited by its owner and taken over
/// by a Maintainer, a group's variables page; and a Developer refused on each.
/// </summary>
public sealed class CiCdSettingsPageTests : IAsyncLifetime
{
    private const string Settings = "root/demo/-/settings/ci_cd";

    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Project_variables_are_edited_and_deleted_and_a_masked_value_is_never_printed()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var owner = VariableOwner.Project(project.Id);
        var (root, token) = await RootAsync(Settings);

        using var added = await root.PostAsync(Settings + "/variables", Form(token, ("key", "SECRET"), ("value", "hunter2-very-secret"), ("masked", "true"), ("environment_scope", "*")));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var page = await root.GetStringAsync(Settings);
        Assert.Contains("<code>SECRET</code>", page);
        Assert.DoesNotContain("hunter2-very-secret", page);

        // Edit with the value left empty: the masked value stays; everything else changes.
        using var edited = await root.PostAsync(Settings + "/variables", Form(
            token, ("original_key", "SECRET"), ("original_scope", "*"), ("value", ""), ("variable_type", "file"), ("protected", "true"), ("masked", "true"), ("raw", "true"),
            ("environment_scope", "production"), ("description", "the <db> password")));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var saved = Assert.Single(await _server.Host.Stores.Variables.ListVariablesAsync(owner));
        Assert.Equal(("hunter2-very-secret", "file", true, true, true, "production", "the <db> password"), (saved.Value, saved.VariableType, saved.Protected, saved.Masked, saved.Raw, saved.EnvironmentScope, saved.Description));
        page = await root.GetStringAsync(Settings);
        Assert.Contains("the &lt;db&gt; password", page);
        Assert.DoesNotContain("hunter2-very-secret", page);

        // A new value; then a value too short to mask is refused with the page again.
        (await root.PostAsync(Settings + "/variables", Form(token, ("original_key", "SECRET"), ("original_scope", "production"), ("value", "another-long-secret"), ("masked", "true"), ("environment_scope", "production")))).Dispose();
        Assert.Equal("another-long-secret", Assert.Single(await _server.Host.Stores.Variables.ListVariablesAsync(owner)).Value);
        using var refused = await root.PostAsync(Settings + "/variables", Form(token, ("original_key", "SECRET"), ("original_scope", "production"), ("value", "short"), ("masked", "true"), ("environment_scope", "production")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("another-long-secret", Assert.Single(await _server.Host.Stores.Variables.ListVariablesAsync(owner)).Value);

        using var deleted = await root.PostAsync(Settings + "/variables/delete", Form(token, ("key", "SECRET"), ("environment_scope", "production")));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty(await _server.Host.Stores.Variables.ListVariablesAsync(owner));
    }

    [Fact]
    public async Task Trigger_tokens_are_added_shown_in_full_only_to_their_owner_and_revoked()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var (root, token) = await RootAsync(Settings);
        using var added = await root.PostAsync(Settings + "/triggers", Form(token, ("description", "deploy <bot>")));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var trigger = Assert.Single(await _server.Host.Stores.Triggers.ListTriggersAsync(project.Id));
        var page = await root.GetStringAsync(Settings);
        Assert.Contains("deploy &lt;bot&gt;", page);
        var full = System.Text.RegularExpressions.Regex.Match(page, "class=\"trigger-token\">(glptt-[^<]+)<").Groups[1].Value;
        Assert.Equal(trigger.TokenHash, Relais.Server.Auth.Tokens.Hash(full));

        var alice = await MemberAsync(project.Id, 40);
        var seen = await alice.GetStringAsync(Settings);
        Assert.Contains("class=\"trigger-token\">glpt</code>", seen);
        Assert.DoesNotContain(full, seen);

        using var revoked = await root.PostAsync($"{Settings}/triggers/{trigger.Id}/revoke", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Empty(await _server.Host.Stores.Triggers.ListTriggersAsync(project.Id));
    }

    [Fact]
    public async Task A_schedule_is_edited_by_its_owner_and_a_Maintainer_takes_ownership()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var schedules = _server.Host.Stores.Schedules;
        var s = await schedules.AddScheduleAsync(new PipelineScheduleRecord { ProjectId = project.Id, OwnerId = 1, Description = "nightly", Ref = "main", Cron = "0 1 * * *" }, DateTimeOffset.UtcNow);
        await schedules.AddScheduleVariableAsync(new ScheduleVariableRecord { ScheduleId = s.Id, Key = "OLD", Value = "1" });
        var edit = $"root/demo/-/pipeline_schedules/{s.Id}/edit";
        var (root, token) = await RootAsync(edit);
        Assert.Contains($"href=\"/root/demo/-/pipeline_schedules/{s.Id}/edit\"", await root.GetStringAsync("root/demo/-/pipeline_schedules"));
        using var saved = await root.PostAsync(edit, Form(token, ("description", "weekly"), ("ref", "main"), ("cron", "0 3 * * 1"), ("cron_timezone", "Europe/Paris"), ("variables", "MODE=slow")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = (await schedules.GetScheduleAsync(project.Id, s.Id))!;
        Assert.Equal(("weekly", "0 3 * * 1", "Europe/Paris", false), (after.Description, after.Cron, after.CronTimezone, after.Active));
        Assert.Equal(["MODE=slow"], (await schedules.ListScheduleVariablesAsync(s.Id)).Select(v => v.Key + "=" + v.Value));
        using var bad = await root.PostAsync(edit, Form(token, ("description", "weekly"), ("ref", "main"), ("cron", "whenever")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // A Maintainer who is not the owner may not edit, but may take ownership, and then edit.
        var alice = await MemberAsync(project.Id, 40);
        var aliceToken = WebServer.HiddenToken(await alice.GetStringAsync(edit));
        using var notOwner = await alice.PostAsync(edit, Form(aliceToken, ("description", "mine"), ("ref", "main"), ("cron", "0 1 * * *")));
        Assert.Equal(HttpStatusCode.Forbidden, notOwner.StatusCode);
        using var taken = await alice.PostAsync($"root/demo/-/pipeline_schedules/{s.Id}/take_ownership", Form(aliceToken));
        Assert.Equal(HttpStatusCode.Redirect, taken.StatusCode);
        Assert.NotEqual(1, (await schedules.GetScheduleAsync(project.Id, s.Id))!.OwnerId);
        using var mine = await alice.PostAsync(edit, Form(aliceToken, ("description", "mine"), ("ref", "main"), ("cron", "0 1 * * *"), ("active", "true")));
        Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        Assert.Equal(("mine", true), ((await schedules.GetScheduleAsync(project.Id, s.Id))!.Description, (await schedules.GetScheduleAsync(project.Id, s.Id))!.Active));
    }

    [Fact]
    public async Task A_group_has_a_variables_page_for_its_Maintainers()
    {
        var group = (await _server.Host.Stores.Groups.CreateGroupAsync(new GroupRecord { Path = "ops", FullPath = "ops", Name = "Ops" }, 1, DateTimeOffset.UtcNow))!;
        var (root, token) = await RootAsync("groups/ops");
        Assert.Contains("href=\"/groups/ops/-/settings/ci_cd\"", await root.GetStringAsync("groups/ops"));
        using var added = await root.PostAsync("groups/ops/-/settings/ci_cd/variables", Form(token, ("key", "REGION"), ("value", "eu"), ("environment_scope", "*")));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("<code class=\"value\">eu</code>", await root.GetStringAsync("groups/ops/-/settings/ci_cd"));
        (await root.PostAsync("groups/ops/-/settings/ci_cd/variables", Form(token, ("original_key", "REGION"), ("original_scope", "*"), ("value", "us"), ("environment_scope", "*")))).Dispose();
        Assert.Equal("us", Assert.Single(await _server.Host.Stores.Variables.ListVariablesAsync(VariableOwner.Group(group.Id))).Value);
        (await root.PostAsync("groups/ops/-/settings/ci_cd/variables/delete", Form(token, ("key", "REGION"), ("environment_scope", "*")))).Dispose();
        Assert.Empty(await _server.Host.Stores.Variables.ListVariablesAsync(VariableOwner.Group(group.Id)));
    }

    [Fact]
    public async Task A_Developer_is_refused_on_every_settings_page()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var group = (await _server.Host.Stores.Groups.CreateGroupAsync(new GroupRecord { Path = "ops", FullPath = "ops", Name = "Ops", Visibility = "public" }, 1, DateTimeOffset.UtcNow))!;
        var s = await _server.Host.Stores.Schedules.AddScheduleAsync(new PipelineScheduleRecord { ProjectId = project.Id, OwnerId = 1, Description = "nightly", Ref = "main", Cron = "0 1 * * *" }, DateTimeOffset.UtcNow);
        var alice = await MemberAsync(project.Id, 30);
        var aliceId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "alice").Id;
        await _server.Host.Stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Group, SourceId = group.Id, UserId = aliceId, AccessLevel = 30 }, DateTimeOffset.UtcNow);
        var token = WebServer.HiddenToken(await alice.GetStringAsync("root/demo/-/pipeline_schedules"));

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync(Settings)).StatusCode);
        using var variable = await alice.PostAsync(Settings + "/variables", Form(token, ("key", "X"), ("value", "y")));
        Assert.Equal(HttpStatusCode.Forbidden, variable.StatusCode);
        using var trigger = await alice.PostAsync(Settings + "/triggers", Form(token, ("description", "x")));
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync($"root/demo/-/pipeline_schedules/{s.Id}/edit")).StatusCode);
        using var take = await alice.PostAsync($"root/demo/-/pipeline_schedules/{s.Id}/take_ownership", Form(token));
        Assert.Equal(HttpStatusCode.Forbidden, take.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("groups/ops/-/settings/ci_cd")).StatusCode);
        using var groupVariable = await alice.PostAsync("groups/ops/-/settings/ci_cd/variables", Form(token, ("key", "X"), ("value", "y")));
        Assert.Equal(HttpStatusCode.NotFound, groupVariable.StatusCode);
        Assert.Empty(await _server.Host.Stores.Variables.ListVariablesAsync(VariableOwner.Project(project.Id)));
        Assert.Empty(await _server.Host.Stores.Variables.ListVariablesAsync(VariableOwner.Group(group.Id)));
        Assert.Empty(await _server.Host.Stores.Triggers.ListTriggersAsync(project.Id));
        Assert.Equal(1, (await _server.Host.Stores.Schedules.GetScheduleAsync(project.Id, s.Id))!.OwnerId);
    }

    private async Task<(HttpClient Client, string Token)> RootAsync(string page)
    {
        var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        return (root, WebServer.HiddenToken(await root.GetStringAsync(page)));
    }

    /// <summary>Alice, signed in, with <paramref name="level"/> on the project.</summary>
    private async Task<HttpClient> MemberAsync(long projectId, int level)
    {
        var aliceId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "alice").Id;
        await _server.Host.Stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = projectId, UserId = aliceId, AccessLevel = level }, DateTimeOffset.UtcNow);
        var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        return alice;
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
