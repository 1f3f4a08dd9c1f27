using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>Groups and members pages in a real Chromium under the Content-Security-Policy: plain forms, no script.</summary>
public sealed class GroupBrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Root_creates_a_group_and_a_subgroup_adds_alice_changes_her_role_and_removes_her() =>
        browser.RunAsync(nameof(Root_creates_a_group_and_a_subgroup_adds_alice_changes_her_role_and_removes_her), async page =>
        {
            await SignInAsync(page, "/dashboard/groups");
            await Assertions.Expect(page.GetByText("You are not a member of any group.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "New group" }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Acme");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/groups/acme$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "New subgroup" }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Web");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/groups/acme/web$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme / Web" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/groups/acme/web/-/group_members$"));
            await page.GetByLabel("Username").FillAsync("alice");
            await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("30");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
            var alice = page.Locator("tr[data-member=alice]");
            await Assertions.Expect(alice).ToContainTextAsync("Developer");

            await page.GetByLabel("Role of alice", new() { Exact = true }).SelectOptionAsync("20");
            await page.GetByRole(AriaRole.Button, new() { Name = "Change the role of alice" }).ClickAsync();
            await Assertions.Expect(alice).ToContainTextAsync("Reporter");

            await page.GetByRole(AriaRole.Button, new() { Name = "Remove alice" }).ClickAsync();
            await Assertions.Expect(page.GetByText("The member was removed.")).ToBeVisibleAsync();
            await Assertions.Expect(alice).ToHaveCountAsync(0);

            // root is the group's last Owner: removing them is refused on the page.
            await page.GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("last Owner");
        });
}
