using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Relais.Web.Tests.Support;

/// <summary>
/// The base of browser test classes that give each test a fresh <see cref="WebServer"/> (Playwright's assertions
/// waiting up to 30 s) and sign root in through the sign-in form.
/// </summary>
public abstract class ServerBrowserTests : IAsyncLifetime
{
    private WebServer? _server;

    /// <summary>This test's server.</summary>
    private protected WebServer Server => _server ?? throw new InvalidOperationException("the server starts in InitializeAsync");

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _server = await WebServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Signs root in with <paramref name="password"/> through the form and waits to land on <paramref name="then"/>.</summary>
    private protected async Task SignInAsync(IPage page, string then = "/", string password = WebServer.RootPassword)
    {
        await page.GotoAsync(Server.Url + "/users/sign_in?redirect_to=" + Uri.EscapeDataString(then));
        await page.GetByLabel("Username").FillAsync("root");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        // Polls the page's address instead of waiting for a navigation event: WaitForURLAsync timed out about once in
        // five full runs although the browser was signed in on the right page (the saved HTML showed it), and every
        // assertion after this waits for what it looks at anyway.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(then) + "$"));
    }
}
