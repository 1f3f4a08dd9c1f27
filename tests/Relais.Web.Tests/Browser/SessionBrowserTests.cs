using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// The account pages in a real Chromium under the pages' Content-Security-Policy: changing the password in the
/// form (and signing in with the new one only), ending another browser's session, and extended log colours that
/// the script applies because inline styles are not allowed.
/// </summary>
public sealed class SessionBrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    private const string NewPassword = "a brand new password";

    [Fact]
    public Task Changing_the_password_in_the_form_signs_out_the_other_browser() =>
        browser.RunAsync(nameof(Changing_the_password_in_the_form_signs_out_the_other_browser), async page =>
        {
            await using var otherContext = await browser.Browser.NewContextAsync();
            var other = await otherContext.NewPageAsync();
            await SignInAsync(other);
            await SignInAsync(page);

            await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/-/user_settings/password/edit$"));
            await page.GetByLabel("Current password").FillAsync(WebServer.RootPassword);
            await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
            await page.GetByLabel("Confirm the new password").FillAsync(NewPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password was changed");

            // The other browser's session ended; this one lives on, and lists itself alone.
            await other.ReloadAsync();
            await Assertions.Expect(other.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Active sessions" }).ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-session]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("tr[data-session]")).ToContainTextAsync("This session");

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).First.ClickAsync();
            await page.GotoAsync(Server.Url + "/users/sign_in");
            await page.GetByLabel("Username").FillAsync("root");
            await page.GetByLabel("Password").FillAsync(WebServer.RootPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid login or password");
            await SignInAsync(page, password: NewPassword);
            await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync("root");
        });

    [Fact]
    public Task Extended_log_colours_show_without_inline_styles() =>
        browser.RunAsync(nameof(Extended_log_colours_show_without_inline_styles), async page =>
        {
            var created = await Server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
            var jobId = await Server.JobIdAsync(created.Id, "job");
            await using (var log = new MemoryStream("\x1b[38;5;208morange\x1b[0m plain\n"u8.ToArray()))
            {
                await Server.Host.Traces.AppendAsync(jobId, 0, log, CancellationToken.None);
            }

            await SignInAsync(page, $"/root/demo/-/jobs/{jobId}");
            var orange = page.Locator("#log span[data-fg]", new() { HasTextString = "orange" });
            await Assertions.Expect(orange).ToHaveCSSAsync("color", "rgb(255, 135, 0)");
        });
}
