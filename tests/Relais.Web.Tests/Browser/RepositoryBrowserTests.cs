using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// The repository pages and the access tokens page in a real Chromium under the Content-Security-Policy: the project
/// page (clone URL, README rendered, its script not run), files to raw, history to a diff, branches with a slash,
/// and a token created, used and revoked.
/// </summary>
public sealed class RepositoryBrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_project_page_renders_the_readme_without_running_its_script_and_leads_to_a_raw_file() =>
        browser.RunAsync(nameof(The_project_page_renders_the_readme_without_running_its_script_and_leads_to_a_raw_file), async page =>
        {
            await DemoRepository.PushAsync(Server);
            await SignInAsync(page, "/root/demo");
            await Assertions.Expect(page.GetByLabel("Clone with HTTP")).ToHaveValueAsync(Server.Url + "/root/demo.git");
            await Assertions.Expect(page.GetByLabel("Clone with SSH")).ToHaveCountAsync(0); // this server runs no SSH
            var readme = page.Locator("article.readme");
            await Assertions.Expect(readme.GetByRole(AriaRole.Heading, new() { Name = "Demo project" })).ToBeVisibleAsync();
            await Assertions.Expect(readme.Locator("strong")).ToHaveTextAsync("bold");
            await Assertions.Expect(readme).ToContainTextAsync("<script>window.readmeScriptRan = true;</script>");
            await readme.GetByRole(AriaRole.Link, new() { Name = "click me" }).ClickAsync();
            Assert.False(await page.EvaluateAsync<bool>("() => window.readmeScriptRan === true || window.readmeLinkRan === true"));

            // Files → a directory → a file (numbered lines) → its raw bytes.
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Project" }).GetByRole(AriaRole.Link, new() { Name = "Files" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "src/" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/tree/main/src$"));
            await page.GetByRole(AriaRole.Link, new() { Name = "app.txt" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/blob/main/src/app.txt$"));
            await Assertions.Expect(page.Locator("table.code tr")).ToHaveCountAsync(3);
            await page.GetByRole(AriaRole.Link, new() { Name = "3", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/blob/main/src/app.txt#L3$"));
            await page.GetByRole(AriaRole.Link, new() { Name = "Open raw" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/raw/main/src/app.txt$"));
            Assert.Equal("one\ntwo\nthree", (await page.Locator("body").InnerTextAsync()).Trim());
        });

    [Fact]
    public Task Commits_lead_to_a_diff_and_a_branch_with_a_slash_to_its_files() =>
        browser.RunAsync(nameof(Commits_lead_to_a_diff_and_a_branch_with_a_slash_to_its_files), async page =>
        {
            await DemoRepository.PushAsync(Server);
            await SignInAsync(page, "/root/demo/-/commits/main");
            await page.GetByRole(AriaRole.Link, new() { Name = "Second commit" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Second commit");
            var appDiff = page.GetByRole(AriaRole.Region, new() { Name = "src/app.txt" });
            await Assertions.Expect(appDiff.Locator("tr.line-added")).ToHaveCountAsync(2);
            await Assertions.Expect(appDiff.Locator("tr.line-added").First).ToContainTextAsync("two");

            await page.GetByRole(AriaRole.Navigation, new() { Name = "Project" }).GetByRole(AriaRole.Link, new() { Name = "Branches" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "feature/x" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/tree/feature/x$"));
            await page.GetByRole(AriaRole.Link, new() { Name = "src/" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "feature.txt" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/blob/feature/x/src/feature.txt$"));

            // The ref selector takes the same file to another ref.
            await page.GetByLabel("Ref").SelectOptionAsync("main");
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("File not found");
        });

    [Fact]
    public Task A_token_is_created_shown_once_works_and_is_revoked() =>
        browser.RunAsync(nameof(A_token_is_created_shown_once_works_and_is_revoked), async page =>
        {
            await SignInAsync(page, "/-/user_settings/password/edit");
            await page.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
            await page.GetByLabel("Token name").FillAsync("laptop");
            await page.GetByLabel("read_api").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create personal access token" }).ClickAsync();
            var token = await page.GetByLabel("Your new personal access token").InputValueAsync();
            Assert.StartsWith("glpat-", token);
            await Assertions.Expect(page.Locator("tr", new() { HasTextString = "laptop" })).ToContainTextAsync("read_api");

            using var client = Server.NewClient(out _);
            client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v4/user")).StatusCode);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/-/user_settings/personal_access_tokens$"));
            await page.ReloadAsync(); // the page was reached by a redirect: reloading makes no second token, and the value is gone
            await Assertions.Expect(page.Locator("tr", new() { HasTextString = "laptop" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByLabel("Your new personal access token")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("tr", new() { HasTextString = "laptop" })).Not.ToContainTextAsync("never", new() { Timeout = 5000 });

            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke the token laptop" }).ClickAsync();
            await Assertions.Expect(page.Locator("tr", new() { HasTextString = "laptop" })).ToContainTextAsync("revoked");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v4/user")).StatusCode);
        });
}
