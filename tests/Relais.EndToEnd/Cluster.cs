using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// Real `relais serve` and `relais runner` processes on one temp directory for the fault tests: start, kill and restart
/// them, push a pipeline over git, and read pipelines, jobs and traces through the REST API. Everything it started is
/// killed and deleted when disposed.
/// </summary>
internal sealed class Cluster : IDisposable
{
    public const string Project = "root%2Fdemo";

    private readonly List<RelaisProcess> _processes = [];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "relais-e2e-" + Guid.NewGuid().ToString("N")[..10]);

    public string RootToken { get; } = "glpat-" + Guid.NewGuid().ToString("N")[..20];

    public string DataDir => Path.Combine(Root, "data");

    /// <summary>Starts `relais serve --no-runner` on <paramref name="port"/> and waits until it listens.</summary>
    public async Task<RelaisProcess> StartServerAsync(int port, params string[] extra)
    {
        Directory.CreateDirectory(Root);
        var server = Track(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = RootToken },
            ["serve", "--data", DataDir, "--urls", $"http://127.0.0.1:{port}", "--no-runner", "--ssh-port", "0", .. extra]));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>Starts `relais runner` against <paramref name="url"/> with its own builds dir.</summary>
    public RelaisProcess StartRunner(string url, string token, string name, int concurrent = 4) =>
        Track(new RelaisProcess(Root, null, "runner", "--url", url, "--token", token, "--name", name,
            "--builds-dir", Path.Combine(Root, "builds-" + name), "--cache-dir", Path.Combine(Root, "cache-" + name), "--concurrent", concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public HttpClient Client(string url)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", RootToken);
        return http;
    }

    public static async Task<string> RegisterRunnerAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/api/v4/user/runners",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["runner_type"] = "instance_type", ["run_untagged"] = "true" }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Pushes a new repository holding <paramref name="yaml"/> as root/demo's main branch.</summary>
    public void Push(string yaml, int port)
    {
        var repo = Path.Combine(Root, "repo");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), yaml);
        Git(repo, "init", "-q", "-b", "main");
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.email=e2e@relais.local", "-c", "user.name=E2E", "commit", "-q", "-m", "pipeline");
        Git(repo, "push", "-q", $"http://root:{RootToken}@127.0.0.1:{port}/root/demo.git", "main");
    }

    public static async Task<JsonElement?> PipelineAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{Project}/pipelines")).EnumerateArray().Select(p => (JsonElement?)p).FirstOrDefault();

    /// <summary>Every attempt of every job of the pipeline.</summary>
    public static async Task<List<JsonElement>> JobsAsync(HttpClient http, long pipeline) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{Project}/pipelines/{pipeline}/jobs?include_retried=true&per_page=100")).EnumerateArray()];

    public static Task<string> TraceAsync(HttpClient http, long job) => http.GetStringAsync($"/api/v4/projects/{Project}/jobs/{job}/trace");

    /// <summary>Polls until <paramref name="condition"/> holds; on timeout fails with the processes' output.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // A server being killed or restarted: ask again.
            }

            Assert.True(watch.Elapsed < timeout, $"timed out waiting for {what}\n{Outputs()}");
            await Task.Delay(200);
        }
    }

    public string Outputs() => string.Join("\n", _processes.Select((p, i) => $"--- process {i}:\n{p.Output}"));

    private RelaisProcess Track(RelaisProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static void Git(string directory, params string[] args) => GitCli.Run(directory, args);

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
