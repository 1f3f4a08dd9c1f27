using System.Diagnostics;
using System.Globalization;

namespace Relais.Web.Tests.Support;

/// <summary>Times a page over HTTP for the timing tests, which print figures and assert only that the page answers.</summary>
internal static class PageTimer
{
    /// <summary>Gets <paramref name="path"/> eleven times (the first warms up); returns "(N KiB of HTML): median …".</summary>
    public static async Task<string> MeasureAsync(HttpClient client, string path)
    {
        var times = new List<double>();
        long size = 0;
        for (var i = 0; i < 11; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            size = body.Length;
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds); // the first request warms up (JIT)
            }
        }

        return $"({size / 1024} KiB of HTML): {Summary(times)}";
    }

    /// <summary>Median, min and max of <paramref name="times"/> (milliseconds; sorted in place).</summary>
    public static string Summary(List<double> times)
    {
        times.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"median {times[times.Count / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms over {times.Count}");
    }
}
