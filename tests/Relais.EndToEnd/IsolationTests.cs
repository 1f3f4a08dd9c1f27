using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Relais.EndToEnd;

/// <summary>
/// Issue 12, the hostile probe that found it: a non-admin user pushes a job without <c>image:</c> to a default
/// <c>relais serve</c> (run here as root, as this machine does) and the job tries to read the server's data — database,
/// secret key, root's password and token files, the runner token, root's private repository, root's build folder and
/// a neighbouring job's build folder. It must run in a container and read none of them; root's own (trusted) job still
/// runs in the shell. Without a Docker engine the untrusted job is refused, saying why. The job prints <c>LEAK</c>
/// (built from two halves, so the echoed script never contains the word) for anything it could read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IsolationTests(ITestOutputHelper output) : IDisposable
{
    private const string Leak = "LEAK";

    /// <summary>Root's trusted job: leaves a marker in its (shell) build folder and says where it ran.</summary>
    private const string RootPipeline = """
        marker:
          script:
            - echo "root-secret-marker" > root-marker.txt
            - echo "root job in $CI_PROJECT_DIR as $(id -un)"
        """;

    private readonly ProcessWorkspace _workspace = new("isolation");

    private string Root => _workspace.Root;

    private string DataDir => Path.Combine(Root, "data");

    /// <summary>A file that exists only on the host: a job that sees it is not in a container (this host may itself be one).</summary>
    private string HostOnly => Path.Combine(Root, "host-only.txt");

    [DockerFact]
    public async Task A_non_admin_users_job_without_an_image_reads_nothing_of_the_server_or_of_other_jobs()
    {
        var (url, port, server) = await StartServerAsync(["--job-image", DockerTest.Busybox], null);
        await File.WriteAllTextAsync(HostOnly, "only here");
        var rootToken = (await File.ReadAllTextAsync(Path.Combine(DataDir, "initial-root-token"))).Trim();
        using var root = Client(url, rootToken);
        var aliceToken = await CreateUserAsync(root, "alice");
        using var alice = Client(url, aliceToken);

        // Root's project is trusted: its job runs in the shell, next to the data, and leaves a marker in its build folder.
        var rootWatch = Stopwatch.StartNew();
        Push("private", RootPipeline, port, "root", rootToken);
        var rootJob = await WaitForJobAsync(root, "root/private", "marker", server);
        rootWatch.Stop();
        var rootTrace = await TraceAsync(root, "root/private", rootJob);
        Assert.True(rootJob.GetProperty("status").GetString() == "success", rootTrace);
        Assert.Contains("Using Shell (", rootTrace, StringComparison.Ordinal);
        Assert.Contains($"root job in {DataDir}/builds/", rootTrace, StringComparison.Ordinal);
        var marker = Directory.GetFiles(Path.Combine(DataDir, "builds"), "root-marker.txt", SearchOption.AllDirectories).Single();
        Assert.True(File.Exists(Path.Combine(DataDir, "repos", "root", "private.git", "HEAD")));

        // Alice's probe, in two jobs that overlap: the neighbour leaves a marker in its build folder while the probe looks.
        Push("probe", Probe(marker), port, "alice", aliceToken);
        var probe = await WaitForJobAsync(alice, "alice/probe", "probe", server);
        var neighbour = await WaitForJobAsync(alice, "alice/probe", "neighbour", server);
        var trace = await TraceAsync(alice, "alice/probe", probe);
        Assert.True(probe.GetProperty("status").GetString() == "success", trace);
        Assert.Contains($"Using Docker executor with image {DockerTest.Busybox}", trace, StringComparison.Ordinal);
        Assert.Contains("probe: in /builds/", trace, StringComparison.Ordinal);
        Assert.Contains("probe: not on the runner's host", trace, StringComparison.Ordinal);
        Assert.Contains("probe: done", trace, StringComparison.Ordinal);
        Assert.DoesNotContain(Leak, trace, StringComparison.Ordinal);
        Assert.DoesNotContain("root-secret-marker", trace, StringComparison.Ordinal);
        Assert.True(Overlap(probe, neighbour), $"the two jobs did not overlap: {probe} {neighbour}");
        Assert.False(File.Exists(Path.Combine(DataDir, "embedded-runner-token")));

        // Files the server and its jobs made are its user's only.
        AssertOwnerOnly(DataDir, directory: true);
        foreach (var file in new[] { "relais.db", "secret-key", "initial-root-token", "initial-root-password" })
        {
            AssertOwnerOnly(Path.Combine(DataDir, file), directory: false);
        }

        AssertOwnerOnly(Path.Combine(DataDir, "repos", "root", "private.git", "HEAD"), directory: false);
        AssertOwnerOnly(Directory.GetFiles(Path.Combine(DataDir, "traces"), "*", SearchOption.AllDirectories)[0], directory: false);
        AssertOwnerOnly(marker, directory: false);

        // The figures: a trusted shell job and an untrusted container job, each a push to a finished one-line job.
        var untrustedWatch = Stopwatch.StartNew();
        Push("timing", "hello:\n  script:\n    - echo hello\n", port, "alice", aliceToken);
        var timing = await WaitForJobAsync(alice, "alice/timing", "hello", server);
        untrustedWatch.Stop();
        var trustedWatch = Stopwatch.StartNew();
        Push("timing", "hello:\n  script:\n    - echo hello\n", port, "root", rootToken);
        var trustedTiming = await WaitForJobAsync(root, "root/timing", "hello", server);
        trustedWatch.Stop();
        Assert.Equal("success", timing.GetProperty("status").GetString());
        Assert.Equal("success", trustedTiming.GetProperty("status").GetString());
        output.WriteLine($"push to finished job: trusted shell {trustedWatch.Elapsed.TotalSeconds:F1} s (job {Duration(trustedTiming)}), untrusted container {untrustedWatch.Elapsed.TotalSeconds:F1} s (job {Duration(timing)}); first root job {rootWatch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Without_a_docker_engine_an_untrusted_job_is_refused_saying_why_and_a_trusted_one_runs_in_the_shell()
    {
        // A data folder left open by an older version: the start closes it.
        Directory.CreateDirectory(DataDir);
        File.SetUnixFileMode(DataDir, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(DataDir, "notes.txt"), "left here");
        File.SetUnixFileMode(Path.Combine(DataDir, "notes.txt"), (UnixFileMode)0b110_100_100);
        var (url, port, server) = await StartServerAsync([], new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/relais-no-docker.sock" });
        AssertOwnerOnly(DataDir, directory: true);
        AssertOwnerOnly(Path.Combine(DataDir, "notes.txt"), directory: false);
        var said = Stopwatch.StartNew();
        while (!server.Output.Contains("no Docker engine answered", StringComparison.Ordinal))
        {
            Assert.True(said.Elapsed < TimeSpan.FromSeconds(30), "the server did not say it has no Docker engine:\n" + server.Output);
            await Task.Delay(100);
        }

        var rootToken = (await File.ReadAllTextAsync(Path.Combine(DataDir, "initial-root-token"))).Trim();
        using var root = Client(url, rootToken);
        var aliceToken = await CreateUserAsync(root, "alice");
        using var alice = Client(url, aliceToken);
        var breach = Path.Combine(Root, "breach.txt");
        Push("refused", $"job:\n  script:\n    - touch {breach}\n", port, "alice", aliceToken);
        var refused = await WaitForJobAsync(alice, "alice/refused", "job", server);
        var trace = await TraceAsync(alice, "alice/refused", refused);
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Equal("runner_configuration_error", refused.GetProperty("failure_reason").GetString());
        Assert.Contains("project is not trusted", trace, StringComparison.Ordinal);
        Assert.False(File.Exists(breach));

        Push("private", RootPipeline, port, "root", rootToken);
        var rootJob = await WaitForJobAsync(root, "root/private", "marker", server);
        var rootTrace = await TraceAsync(root, "root/private", rootJob);
        Assert.True(rootJob.GetProperty("status").GetString() == "success", rootTrace);
        Assert.Contains($"root job in {DataDir}/builds/", rootTrace, StringComparison.Ordinal);
    }

    /// <summary>The probe's pipeline: <c>neighbour</c> keeps a marker in its build folder while <c>probe</c> tries everything.</summary>
    private string Probe(string rootMarker) => $$"""
        variables:
          DATA: "{{DataDir}}"
          ROOT_MARKER: "{{rootMarker}}"
          HOST_ONLY: "{{HostOnly}}"
        neighbour:
          script:
            - echo "neighbour-secret" > neighbour-marker.txt
            - sleep 12
        probe:
          script:
            - sleep 4
            - |
              L=LE; K=AK
              echo "probe: in $CI_PROJECT_DIR"
              if [ -e "$HOST_ONLY" ]; then echo "${L}${K} on the runner's host"; else echo "probe: not on the runner's host"; fi
              for f in "$DATA/relais.db" "$DATA/relais.db-wal" "$DATA/secret-key" "$DATA/initial-root-password" "$DATA/initial-root-token" "$DATA/embedded-runner-token" "$DATA/repos/root/private.git/HEAD" "$DATA/repos/root/private.git/config" "$ROOT_MARKER"; do
                if cat "$f" >/dev/null 2>&1; then echo "${L}${K} read $f"; fi
              done
              for d in "$DATA" "$DATA/repos" "$DATA/repos/root" "$DATA/builds" "$DATA/traces" "$DATA/artifacts" "$DATA/cache"; do
                if ls "$d" >/dev/null 2>&1; then echo "${L}${K} listed $d"; fi
              done
              up="$CI_PROJECT_DIR"
              for i in 1 2 3 4 5 6 7 8; do
                up="$up/.."
                for n in relais.db secret-key initial-root-password initial-root-token embedded-runner-token repos traces; do
                  if [ -e "$up/$n" ]; then echo "${L}${K} found $up/$n"; fi
                done
              done
              timeout 20 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o \( -name relais.db -o -name secret-key -o -name 'initial-root-*' -o -name embedded-runner-token -o -name root-marker.txt -o -name neighbour-marker.txt -o -name private.git \) -print 2>/dev/null | sed "s|^|${L}${K} found |"
              if env | grep -q glrt-; then echo "${L}${K} a runner token in the environment"; fi
              N=root-secret
              if timeout 20 grep -rqs "$N-marker" / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; then echo "${L}${K} root's marker text"; fi
              echo "probe: done"
        """;

    private async Task<(string Url, int Port, RelaisProcess Server)> StartServerAsync(string[] extra, Dictionary<string, string>? environment)
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var server = _workspace.Start(new RelaisProcess(Root, environment, ["serve", "--data", DataDir, "--urls", url, "--ssh-port", "0", .. extra]));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, server);
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return http;
    }

    private static async Task<string> CreateUserAsync(HttpClient admin, string username)
    {
        using var created = await admin.PostAsJsonAsync("/api/v4/users", new { username });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var token = await admin.PostAsJsonAsync($"/api/v4/users/{id}/personal_access_tokens", new { name = "push", scopes = new[] { "api" } });
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A new repository with <paramref name="yaml"/> as its CI file, pushed to USER/NAME by that user (a push creates the project).</summary>
    private void Push(string name, string yaml, int port, string user, string token)
    {
        var repo = Path.Combine(Root, "src-" + user + "-" + name);
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), yaml);
        GitCli.Run(repo, "init", "-q", "-b", "main");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.email=e2e@relais.local", "-c", "user.name=E2E", "commit", "-q", "-m", "pipeline");
        GitCli.Run(repo, "push", "-q", $"http://{user}:{token}@127.0.0.1:{port}/{user}/{name}.git", "main");
    }

    /// <summary>Waits for the job called <paramref name="name"/> of the project's newest pipeline to finish.</summary>
    private static async Task<JsonElement> WaitForJobAsync(HttpClient http, string project, string name, RelaisProcess server)
    {
        var path = Uri.EscapeDataString(project);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            using var response = await http.GetAsync($"/api/v4/projects/{path}/jobs");
            if (response.IsSuccessStatusCode)
            {
                foreach (var job in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
                {
                    if (job.GetProperty("name").GetString() == name && job.GetProperty("status").GetString() is "success" or "failed" or "canceled")
                    {
                        return job;
                    }
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{project} job {name} did not finish\nserver:\n{server.Output}");
    }

    private static Task<string> TraceAsync(HttpClient http, string project, JsonElement job) =>
        http.GetStringAsync($"/api/v4/projects/{Uri.EscapeDataString(project)}/jobs/{job.GetProperty("id").GetInt64()}/trace");

    private static bool Overlap(JsonElement a, JsonElement b) =>
        DateTimeOffset.Parse(a.GetProperty("started_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.Parse(b.GetProperty("finished_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        && DateTimeOffset.Parse(b.GetProperty("started_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.Parse(a.GetProperty("finished_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static string Duration(JsonElement job) =>
        job.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? $"{d.GetDouble():F1} s" : "?";

    private static void AssertOwnerOnly(string path, bool directory)
    {
        var mode = File.GetUnixFileMode(path);
        var groupOrOther = (int)mode & 0b000_111_111;
        Assert.True(groupOrOther == 0, $"{path} is {Convert.ToString((int)mode, 8)}");
        Assert.Equal(directory, Directory.Exists(path));
    }

    public void Dispose() => _workspace.Dispose();
}
