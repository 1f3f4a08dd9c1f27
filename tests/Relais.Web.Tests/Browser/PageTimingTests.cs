using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relais.Web.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Web.Tests.Browser;

/// <summary>
/// Measures (prints, never asserts) the two figures of issue 7: a 500-job pipeline page's server time, and a job
/// with a 50 MB log opening with its tail shown, over HTTP and in Chromium. Run with
/// <c>--logger "console;verbosity=detailed"</c> to see the numbers; timings on a shared machine are noisy.
/// </summary>
public sealed class PageTimingTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Measure_a_500_job_pipeline_page_and_a_50_MB_log()
    {
        await using var server = await WebServer.StartAsync();
        var yaml = new StringBuilder("stages: [s0, s1, s2, s3, s4]\n");
        for (var i = 0; i < 500; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"job{i}:\n  stage: s{i / 100}\n  script: [echo {i}]\n");
            if (i >= 100)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"  needs: [job{i - 100}]\n");
            }
        }

        var pipeline = await server.CreatePipelineAsync(yaml.ToString());
        var jobId = await server.JobIdAsync(pipeline.Id, "job0");
        var line = Encoding.UTF8.GetBytes("\x1b[32mok\x1b[0m a line of a long job log, with some <html> & text to escape 0123456789\n");
        await using (var big = new MemoryStream())
        {
            while (big.Length < 50L * 1024 * 1024)
            {
                big.Write(line);
            }

            big.Position = 0;
            await server.Host.Traces.AppendAsync(jobId, 0, big, CancellationToken.None);
        }

        using var client = server.NewClient(out _);
        client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
        await Report(client, $"root/demo/-/pipelines/{pipeline.Id}", "500-job pipeline page");
        await Report(client, $"root/demo/-/jobs/{jobId}", "job page, 50 MB log");

        await browser.RunAsync(nameof(Measure_a_500_job_pipeline_page_and_a_50_MB_log), async page =>
        {
            await page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["PRIVATE-TOKEN"] = WebServer.RootToken });
            foreach (var (path, what) in new[] { ($"/root/demo/-/jobs/{jobId}", "job page, 50 MB log"), ($"/root/demo/-/pipelines/{pipeline.Id}", "500-job pipeline page") })
            {
                var times = new List<double>();
                for (var i = 0; i < 5; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await page.GotoAsync(server.Url + path);
                    await page.Locator(path.Contains("/jobs/", StringComparison.Ordinal) ? "#log .l >> nth=-1" : ".job-card >> nth=-1").WaitForAsync();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                output.WriteLine($"{what} in Chromium (navigation to last line/card visible): {PageTimer.Summary(times)}");
            }
        });
    }

    private async Task Report(HttpClient client, string path, string what) =>
        output.WriteLine($"{what} over loopback HTTP {await PageTimer.MeasureAsync(client, path)}");
}
