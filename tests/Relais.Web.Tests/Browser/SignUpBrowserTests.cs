using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>Sign-up in a real Chromium under the Content-Security-Policy, on a server started with <c>--allow-signup</c>.</summary>
public sealed class SignUpBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private WebServer? _server;

    private WebServer Server => _server ?? throw new InvalidOperationException("the server starts in InitializeAsync");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _server = await WebServer.StartAsync(configure: o => o with { AllowSignup = true });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public Task A_visitor_follows_the_register_link_signs_up_and_is_signed_in() =>
        browser.RunAsync(nameof(A_visitor_follows_the_register_link_signs_up_and_is_signed_in), async page =>
        {
            await page.GotoAsync(Server.Url + "/users/sign_in");
            await page.GetByRole(AriaRole.Link, new() { Name = "Register" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users/sign_up$"));
            await page.GetByLabel("Username").FillAsync("erin");
            await page.GetByLabel("Email").FillAsync("erin@example.com");
            await page.GetByLabel("Password").FillAsync("short");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
            // The browser's own check (minlength) keeps the form here; the server's is tested over HTTP.
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users/sign_up$"));
            await page.GetByLabel("Password").FillAsync("erin's long password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync("erin");
        });
}
