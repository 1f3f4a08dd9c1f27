using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Server.Storage;
using Relais.Web.Tests.Environments;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>The environments page in a real Chromium: the project's navigation leads there, a folder opens, Stop asks first and then stops.</summary>
public sealed class EnvironmentBrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task A_folder_opens_and_stop_asks_before_it_stops_the_environment() =>
        browser.RunAsync(nameof(A_folder_opens_and_stop_asks_before_it_stops_the_environment), async page =>
        {
            var seed = new EnvironmentSeed(Server);
            var project = await seed.ProjectAsync();
            var staging = await seed.EnvironmentAsync(project, "staging", "https://staging.example.com");
            await seed.EnvironmentAsync(project, "review/feature-x");
            await seed.EnvironmentAsync(project, "review/feature-y");
            await SignInAsync(page, "/root/demo/-/pipelines");
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Project" }).GetByRole(AriaRole.Link, new() { Name = "Environments" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/environments$"));

            var featureX = page.Locator("tr[data-environment=\"review/feature-x\"]");
            await Assertions.Expect(featureX).ToBeHiddenAsync();
            await page.Locator("tr[data-folder=review] > td > details > summary").ClickAsync();
            await Assertions.Expect(featureX).ToBeVisibleAsync();

            var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Stop environment staging" });
            await Assertions.Expect(confirm).ToBeHiddenAsync();
            await page.Locator("tr[data-environment=staging] summary").ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-environment=staging]")).ToContainTextAsync("Stop staging?");
            await confirm.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/environments$"));
            await Assertions.Expect(page.Locator("tr[data-environment=staging]")).ToHaveCountAsync(0);
            Assert.Equal(EnvironmentStates.Stopped, (await Server.Host.Stores.Environments.GetAsync(staging.Id))!.State);

            await page.GetByRole(AriaRole.Link, new() { Name = "Stopped 1" }).ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-environment=staging]")).ToContainTextAsync("stopped");
        });
}
