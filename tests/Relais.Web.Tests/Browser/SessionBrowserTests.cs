using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// The account pages in a real Chromium under the pages' Content-Security-Policy: changing the password in the
/// form (and signing in with the new one only), ending another browser's session, and extended log colours that
/// the script applies because inline styles are not allowed.
/// </summary>
public sealed class SessionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string NewPassword = "a brand new password";

    private WebServer _server = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _server = await WebServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public Task Changing_the_password_in_the_form_signs_out_the_other_browser() =>
        browser.RunAsync(nameof(Changing_the_password_in_the_form_signs_out_the_other_browser), async page =>
        {
            await using var otherContext = await browser.Browser.NewContextAsync();
            var other = await otherContext.NewPageAsync();
            await SignInAsync(other, WebServer.RootPassword);
            await SignInAsync(page, WebServer.RootPassword);

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
            await page.GotoAsync(_server.Url + "/users/sign_in");
            await page.GetByLabel("Username").FillAsync("root");
            await page.GetByLabel("Password").FillAsync(WebServer.RootPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid login or password");
            await SignInAsync(page, NewPassword);
            await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync("root");
        });

    [Fact]
    public Task Extended_log_colours_show_without_inline_styles() =>
        browser.RunAsync(nameof(Extended_log_colours_show_without_inline_styles), async page =>
        {
            var created = await _server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
            var jobId = await _server.JobIdAsync(created.Id, "job");
            await using (var log = new MemoryStream("\x1b[38;5;208morange\x1b[0m plain\n"u8.ToArray()))
            {
                await _server.Host.Traces.AppendAsync(jobId, 0, log, CancellationToken.None);
            }

            await SignInAsync(page, WebServer.RootPassword, $"/root/demo/-/jobs/{jobId}");
            var orange = page.Locator("#log span[data-fg]", new() { HasTextString = "orange" });
            await Assertions.Expect(orange).ToHaveCSSAsync("color", "rgb(255, 135, 0)");
        });

    private async Task SignInAsync(IPage page, string password, string then = "/")
    {
        await page.GotoAsync(_server.Url + "/users/sign_in?redirect_to=" + Uri.EscapeDataString(then));
        await page.GetByLabel("Username").FillAsync("root");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        // Polls the page's address instead of waiting for a navigation event: WaitForURLAsync timed out about once in
        // five full runs although the browser was signed in on the right page (the saved HTML showed it), and every
        // assertion after this waits for what it looks at anyway.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(then) + "$"));
    }
}
