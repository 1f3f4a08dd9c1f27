using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Issue 12 in the web UI: the project settings page shows the "trusted" checkbox to administrators only, and a
/// non-admin who owns the project cannot mark it trusted by posting the form anyway (403, nothing changes).
/// </summary>
public sealed partial class IsolationSettingsPageTests
{
    [Fact]
    public async Task A_project_owner_who_is_not_an_administrator_cannot_mark_the_project_trusted_in_the_web_ui()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("app", "job: { script: [echo] }\n", token: f.AliceToken);

        using var alice = await SignedInAsync(f, f.AliceToken);
        var page = await alice.GetStringAsync("alice/app/edit");
        Assert.DoesNotContain("name=\"trusted\"", page, StringComparison.Ordinal);
        using var forged = await alice.PostAsync("alice/app/edit/trusted", Form(page, "true"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False((await f.Server.Host.Stores.Projects.GetProjectAsync(project))!.Trusted);

        using var root = await SignedInAsync(f, TestServer.RootToken);
        var adminPage = await root.GetStringAsync("alice/app/edit");
        Assert.Contains("name=\"trusted\"", adminPage, StringComparison.Ordinal);
        using var marked = await root.PostAsync("alice/app/edit/trusted", Form(adminPage, "true"));
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        Assert.True((await f.Server.Host.Stores.Projects.GetProjectAsync(project))!.Trusted);
        Assert.Contains("id=\"trusted\" name=\"trusted\" value=\"true\" checked", await root.GetStringAsync("alice/app/edit"), StringComparison.Ordinal);

        using var unmarked = await root.PostAsync("alice/app/edit/trusted", Form(adminPage, null));
        Assert.Equal(HttpStatusCode.Redirect, unmarked.StatusCode);
        Assert.False((await f.Server.Host.Stores.Projects.GetProjectAsync(project))!.Trusted);
    }

    [Fact]
    public async Task A_pending_untrusted_job_says_on_its_page_why_it_waits_and_a_trusted_one_does_not()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("app", "job: { script: [echo] }\n", token: f.AliceToken);
        var pipeline = await f.RunPipelineAsync(project);
        var job = (await f.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline)).Single();
        using var alice = await SignedInAsync(f, f.AliceToken);

        Assert.Contains("This project is not trusted, so its jobs run only on runners that isolate them", await alice.GetStringAsync($"alice/app/-/jobs/{job.Id}"), StringComparison.Ordinal);
        await f.Server.Host.Stores.Projects.SetProjectTrustedAsync(project, true);
        Assert.DoesNotContain("This project is not trusted", await alice.GetStringAsync($"alice/app/-/jobs/{job.Id}"), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string page, string? trusted)
    {
        var fields = new Dictionary<string, string> { ["authenticity_token"] = CsrfToken().Match(page).Groups[1].Value };
        if (trusted is not null)
        {
            fields["trusted"] = trusted;
        }

        return new FormUrlEncodedContent(fields);
    }

    private static async Task<HttpClient> SignedInAsync(SecurityFixture f, string token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(f.Server.Host.ExternalUrl + "/"),
        };
        var form = await client.GetStringAsync("users/sign_in");
        using var signIn = await client.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = CsrfToken().Match(form).Groups[1].Value, ["personal_access_token"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
