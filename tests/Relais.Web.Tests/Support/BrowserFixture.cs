using Microsoft.Playwright;

namespace Relais.Web.Tests.Support;

/// <summary>
/// One Chromium for a test class: Debian's <c>/usr/bin/chromium</c> driven by Playwright's bundled driver
/// (Playwright's own browser download does not work here), headless, with the flags DEPENDENCIES.md lists.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-deps.sh (Debian package chromium)");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// Runs a browser test on a fresh page (failing it when the Content-Security-Policy blocked anything); on failure saves a full-page screenshot and the page's HTML under
    /// <c>test-results/web/</c> (at the repository root) and rethrows.
    /// </summary>
    public async Task RunAsync(string name, Func<IPage, Task> test, ViewportSize? viewport = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        await using var context = await Browser.NewContextAsync(new() { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        // Every page carries a Content-Security-Policy: anything it blocks is a broken page, so no test may see it.
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (blocked)
                {
                    blocked.Add(message.Text);
                }
            }
        };
        try
        {
            await test(page);
            lock (blocked)
            {
                Assert.Empty(blocked);
            }
        }
        catch
        {
            var dir = Path.Combine(RepositoryRoot(), "test-results", "web");
            Directory.CreateDirectory(dir);
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(dir, name + ".html"), await page.ContentAsync());
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Relais.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
