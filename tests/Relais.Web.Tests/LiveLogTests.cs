using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Relais.Server.Auth;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The live log's Server-Sent Events over HTTP, without a browser, with a job driven through the runner API.</summary>
public sealed class LiveLogTests
{
    [Fact]
    public async Task The_stream_sends_new_lines_rendered_with_their_offsets_and_ends_with_the_status()
    {
        await using var server = await WebServer.StartAsync();
        var created = await server.CreatePipelineAsync("job:\n  script: [echo hi]\n");
        var runnerToken = Tokens.New(Tokens.RunnerPrefix);
        await server.Host.Stores.Runners.CreateRunnerAsync(Tokens.Hash(runnerToken), "sse runner", "", true, DateTimeOffset.UtcNow);
        using var api = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        using var claimed = await api.PostAsJsonAsync("api/v4/jobs/request", new { token = runnerToken, info = new { name = "t" } });
        using var job = JsonDocument.Parse(await claimed.Content.ReadAsStringAsync());
        var jobId = job.RootElement.GetProperty("id").GetInt64();
        var jobToken = job.RootElement.GetProperty("token").GetString()!;
        var length = 0L;
        async Task PatchAsync(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v4/jobs/{jobId}/trace") { Content = new ByteArrayContent(bytes) };
            request.Headers.Add("JOB-TOKEN", jobToken);
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{length}-{length + bytes.Length - 1}");
            using var response = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            length += bytes.Length;
        }

        await PatchAsync("first\n");
        using var viewer = server.NewClient(out _);
        viewer.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
        using var stream = await viewer.GetAsync($"root/demo/-/jobs/{jobId}/trace_stream?offset=0", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        Assert.Equal(("lines", "6", "<div class=\"l\">first</div>"), await NextEventAsync(reader));
        await PatchAsync("half a line <b>");
        await PatchAsync(" done\n");
        Assert.Equal(("lines", length.ToString(System.Globalization.CultureInfo.InvariantCulture), "<div class=\"l\">half a line &lt;b&gt; done</div>"), await NextEventAsync(reader));

        await PatchAsync("last words\n");
        using (var finish = await api.PutAsJsonAsync($"api/v4/jobs/{jobId}", new { token = jobToken, state = "success" }))
        {
            Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        }

        var (name, _, data) = await NextEventAsync(reader);
        if (name == "lines")
        {
            Assert.Equal("<div class=\"l\">last words</div>", data);
            (name, _, data) = await NextEventAsync(reader);
        }

        Assert.Equal(("end", "success"), (name, data));
        Assert.Null(await reader.ReadLineAsync()); // the server closed the stream
    }

    /// <summary>The next event (comments skipped): its name, id and data.</summary>
    private static async Task<(string Name, string Id, string Data)> NextEventAsync(StreamReader reader)
    {
        string name = "", id = "", data = "";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0 && name.Length > 0)
            {
                return (name, id, data);
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        throw new EndOfStreamException("the stream ended before an event");
    }
}
