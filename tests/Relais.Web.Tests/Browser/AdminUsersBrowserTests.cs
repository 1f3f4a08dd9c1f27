using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>The admin users page in a real Chromium under the Content-Security-Policy: create, block, unblock, delete.</summary>
public sealed class AdminUsersBrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    private const string DanaPassword = "dana's long password";

    [Fact]
    public Task An_administrator_creates_blocks_unblocks_and_deletes_a_user() =>
        browser.RunAsync(nameof(An_administrator_creates_blocks_unblocks_and_deletes_a_user), async page =>
        {
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
            await Assertions.Expect(page.Locator("tr[data-user=root]")).ToContainTextAsync("yes");

            await page.GetByLabel("Username", new() { Exact = true }).FillAsync("dana");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Dana <b>Scully</b>");
            await page.GetByLabel("Email", new() { Exact = true }).FillAsync("dana@example.com");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DanaPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The user was created.");
            var dana = page.Locator("tr[data-user=dana]");
            await Assertions.Expect(dana).ToContainTextAsync("Dana <b>Scully</b>");
            await Assertions.Expect(dana).ToContainTextAsync("dana@example.com");
            await Assertions.Expect(dana).ToContainTextAsync("active");
            Assert.Equal(HttpStatusCode.Redirect, (await SignInAsDanaAsync()).StatusCode);

            await page.GetByLabel("Username", new() { Exact = true }).FillAsync("dana");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The username has already been taken.");

            await page.GetByRole(AriaRole.Button, new() { Name = "Block dana" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The user was blocked");
            await Assertions.Expect(dana).ToContainTextAsync("blocked");
            Assert.NotEqual(HttpStatusCode.Redirect, (await SignInAsDanaAsync()).StatusCode);
            await page.GetByRole(AriaRole.Button, new() { Name = "Unblock dana" }).ClickAsync();
            await Assertions.Expect(dana).ToContainTextAsync("active");

            await page.GetByRole(AriaRole.Button, new() { Name = "Delete dana" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The user was deleted.");
            await Assertions.Expect(dana).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete root" })).ToHaveCountAsync(0);
        });

    private async Task<HttpResponseMessage> SignInAsDanaAsync()
    {
        using var client = Server.NewClient(out _);
        return await WebServer.SignInAsync(client, "dana", DanaPassword);
    }
}
