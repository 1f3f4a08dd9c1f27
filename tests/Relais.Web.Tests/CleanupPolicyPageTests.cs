using System.Net;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>
/// The "Packages and registries" settings page over real HTTP with a signed-in session: the container image cleanup
/// policy enabled and edited, a bad pattern refused with the page again, the garbage collection button only for
/// administrators (and saying the registry is read-only while it runs), a Developer refused.
/// </summary>
public sealed class CleanupPolicyPageTests : IAsyncLifetime
{
    private const string Settings = "root/demo/-/settings/packages_and_registries";

    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_maintainer_enables_and_edits_the_policy_and_a_bad_pattern_is_refused()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        var page = await root.GetStringAsync(Settings);
        var token = WebServer.HiddenToken(page);

        using var saved = await root.PostAsync(Settings + "/cleanup_policy", Form(token,
            ("enabled", "true"), ("cadence", "7d"), ("keep_n", "5"), ("older_than", "14d"), ("name_regex", "v.*"), ("name_regex_keep", "stable")));
        using var refused = await root.PostAsync(Settings + "/cleanup_policy", Form(token,
            ("enabled", "true"), ("cadence", "7d"), ("keep_n", "5"), ("older_than", "14d"), ("name_regex", "["), ("name_regex_keep", "")));
        var policy = await _server.Host.Stores.ContainerExpirationPolicies.GetAsync(project.Id);
        var after = await root.GetStringAsync(Settings);

        Assert.Contains("Cleanup policy for container images", page);
        Assert.Contains("<option value=\"90d\" selected>90 days</option>", page); // GitLab's defaults
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("name_regex not valid RE2 syntax", await refused.Content.ReadAsStringAsync());
        Assert.Equal((true, "7d", 5, "14d", "v.*", "stable"), (policy!.Enabled, policy.Cadence, policy.KeepN, policy.OlderThan, policy.NameRegex, policy.NameRegexKeep));
        Assert.Contains("<option value=\"14d\" selected>14 days</option>", after);
        Assert.Contains("Run garbage collection now", after);
        Assert.Contains("The registry is read-only while it runs", after);
    }

    [Fact]
    public async Task Only_administrators_see_garbage_collection_and_a_developer_is_refused()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var aliceId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "alice").Id;
        await _server.Host.Stores.Members.AddMemberAsync(new MemberRecord { Source = MemberSource.Project, SourceId = project.Id, UserId = aliceId, AccessLevel = 30 }, DateTimeOffset.UtcNow);
        var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();

        using var developer = await alice.GetAsync(Settings);
        await _server.Host.Stores.Members.UpdateMemberAsync(MemberSource.Project, project.Id, aliceId, 40, null);
        var maintainer = await alice.GetStringAsync(Settings);
        using var gc = await alice.PostAsync(Settings + "/garbage_collection", Form(WebServer.HiddenToken(maintainer)));

        Assert.Equal(HttpStatusCode.Forbidden, developer.StatusCode);
        Assert.Contains("Cleanup policy for container images", maintainer);
        Assert.DoesNotContain("Run garbage collection now", maintainer);
        Assert.Equal(HttpStatusCode.Forbidden, gc.StatusCode);
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(new Dictionary<string, string>(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))) { ["authenticity_token"] = token });
}
