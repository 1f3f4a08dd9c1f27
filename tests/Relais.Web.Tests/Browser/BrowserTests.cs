using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Relais.Protocol;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// The UI in a real Chromium against a real coordinator with a real runner (shell executor): sign in, watch a
/// running job's log grow, play a manual job, cancel a pipeline, and a private project sending the browser to sign in.
/// </summary>
public sealed partial class BrowserTests(BrowserFixture browser) : ServerBrowserTests, IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Signing_in_with_the_form_shows_the_projects_and_the_keyboard_reaches_the_skip_link() =>
        browser.RunAsync(nameof(Signing_in_with_the_form_shows_the_projects_and_the_keyboard_reaches_the_skip_link), async page =>
        {
            await Server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
            await page.GotoAsync(Server.Url + "/");
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
            await SignInAsync(page);
            await Assertions.Expect(page.GetByText("Signed in as")).ToContainTextAsync("root");
            await page.GetByRole(AriaRole.Link, new() { Name = "root/demo" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo$"));
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Project" }).GetByRole(AriaRole.Link, new() { Name = "Pipelines" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/pipelines$"));
            await Assertions.Expect(page.Locator("table.pipelines tbody tr")).ToHaveCountAsync(1);
        });

    [Fact]
    public Task A_running_jobs_log_grows_live_in_the_page() =>
        browser.RunAsync(nameof(A_running_jobs_log_grows_live_in_the_page), async page =>
        {
            await Server.StartRunnerAsync();
            var created = await Server.CreatePipelineAsync("""
                variables: { GIT_STRATEGY: none }
                ticker:
                  script:
                    - 'for i in $(seq 1 30); do echo "tick $i"; sleep 0.5; done'
                """);
            var jobId = await Server.JobIdAsync(created.Id, "ticker");
            await WaitForAsync(async () => (await Server.Host.Traces.ReadAsync(jobId, default)).Length > 0 && Text(await Server.Host.Traces.ReadAsync(jobId, default)).Contains("tick 1", StringComparison.Ordinal));

            await SignInAsync(page, $"/root/demo/-/jobs/{jobId}");
            // 15 s of ticks leave room for a slow sign-in on a loaded machine: the page must open while the job runs.
            var log = page.Locator("#log");
            Assert.NotNull(await log.GetAttributeAsync("data-stream")); // opened while running: it streams
            var ticksAtLoad = await page.Locator("#log .l", new() { HasTextRegex = new Regex("^tick \\d+$") }).CountAsync();
            Assert.InRange(ticksAtLoad, 0, 29);

            // Streamed lines stay inside the script's section, which was opened before the page loaded.
            await Assertions.Expect(page.Locator("#log .l[data-s]", new() { HasTextString = "tick 30" })).ToBeVisibleAsync();
            await Assertions.Expect(log).ToHaveAttributeAsync("data-finished", "success");
            await Assertions.Expect(page.Locator("#log .l", new() { HasTextRegex = new Regex("^tick \\d+$") })).ToHaveCountAsync(30);
            await Assertions.Expect(page.Locator("#log-end")).ToContainTextAsync("The job finished: success");
        });

    [Fact]
    public Task Playing_a_manual_job_runs_it() =>
        browser.RunAsync(nameof(Playing_a_manual_job_runs_it), async page =>
        {
            await Server.StartRunnerAsync();
            var created = await Server.CreatePipelineAsync("""
                variables: { GIT_STRATEGY: none }
                deploy:
                  when: manual
                  script: [echo deployed-by-play]
                """);
            await SignInAsync(page, $"/root/demo/-/pipelines/{created.Id}");
            var card = page.Locator(".job-card", new() { HasTextString = "deploy" });
            await Assertions.Expect(card).ToContainTextAsync("manual");
            await page.GetByRole(AriaRole.Button, new() { Name = "Play deploy" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/root/demo/-/pipelines/{created.Id}$"));

            var jobId = await Server.JobIdAsync(created.Id, "deploy");
            await WaitForAsync(async () => (await Server.Host.Stores.Pipelines.GetJobAsync(jobId))!.Status == CiStatus.Success);
            // No reload: while jobs move, the page refreshes its graph by itself.
            await Assertions.Expect(card).ToContainTextAsync("passed");
            await card.GetByRole(AriaRole.Link, new() { Name = "deploy" }).ClickAsync();
            await Assertions.Expect(page.Locator("#log")).ToContainTextAsync("deployed-by-play");
        });

    [Fact]
    public Task Canceling_a_pipeline_stops_its_running_job() =>
        browser.RunAsync(nameof(Canceling_a_pipeline_stops_its_running_job), async page =>
        {
            await Server.StartRunnerAsync();
            var created = await Server.CreatePipelineAsync("""
                variables: { GIT_STRATEGY: none }
                slow:
                  script: [sleep 120]
                """);
            var jobId = await Server.JobIdAsync(created.Id, "slow");
            await WaitForAsync(async () => (await Server.Host.Stores.Pipelines.GetJobAsync(jobId))!.Status == CiStatus.Running);
            await SignInAsync(page, $"/root/demo/-/pipelines/{created.Id}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("running");
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel pipeline" }).ClickAsync();

            await WaitForAsync(async () => (await Server.Host.Stores.Pipelines.GetPipelineAsync(created.Id))!.Status == CiStatus.Canceled);
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("canceled");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel pipeline" })).ToHaveCountAsync(0);
        });

    [Fact]
    public Task A_private_project_sends_the_browser_to_sign_in_and_back() =>
        browser.RunAsync(nameof(A_private_project_sends_the_browser_to_sign_in_and_back), async page =>
        {
            await Server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
            await page.GotoAsync(Server.Url + "/root/demo/-/pipelines");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users/sign_in\\?redirect_to=%2Froot%2Fdemo%2F-%2Fpipelines$"));
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("root/demo");
            await page.GetByLabel("Username").FillAsync("root");
            await page.GetByLabel("Password").FillAsync(WebServer.RootPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/root/demo/-/pipelines$"));
        }, new ViewportSize { Width = 360, Height = 740 });

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not hold within 60 s");
            }

            await Task.Delay(100);
        }
    }
}
