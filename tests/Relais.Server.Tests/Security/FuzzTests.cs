using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Security;

/// <summary>
/// Thousands of seeded random hostile requests (<see cref="HostileRequests"/>) against a real coordinator: none may
/// get a 5xx, every refusal of the API says why in <c>{"message": …}</c>, the server keeps serving, and the stored
/// data (projects, variables, pipelines, jobs, traces, artifacts, runners, users, git refs, blob files) is the same
/// byte for byte afterwards.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int Requests = 3000;
    private const int Workers = 4;

    private const string Pipeline = """
        stages: [build, test]
        build: { stage: build, script: [make], artifacts: { paths: [out/] } }
        test: { stage: test, script: [check] }
        """;

    [Fact]
    public async Task Thousands_of_hostile_requests_get_no_5xx_and_change_no_stored_data()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with
        {
            Limits = new RequestLimits { ApiBody = 64 * 1024, TracePatch = 64 * 1024, Artifact = 256 * 1024, Push = 256 * 1024, FetchNegotiation = 64 * 1024 },
            AuthThrottle = new AuthThrottleOptions { FailuresPerKey = int.MaxValue, FailuresPerAddress = int.MaxValue },
        });
        var targets = await SeedAsync(f);
        var before = await SnapshotAsync(f);

        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<(string Kind, int Status), int>();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var requests = new HostileRequests(new Random(Seed + w), targets);
            for (var i = 0; i < Requests / Workers; i++)
            {
                var (request, kind) = requests.Next();
                using (request)
                {
                    var (status, problem) = await SendAsync(f.Http, request);
                    statuses.AddOrUpdate((kind, status), 1, (_, n) => n + 1);
                    if (problem is not null)
                    {
                        problems.Add($"{kind} {request.Method} {Short(request.RequestUri!.OriginalString)}: {problem}");
                    }
                }
            }
        })));
        clock.Stop();

        var total = statuses.Values.Sum();
        output.WriteLine($"{total} hostile requests in {clock.Elapsed.TotalSeconds:F1} s (seed {Seed}, {Workers} workers)");
        foreach (var ((kind, status), n) in statuses.OrderBy(p => p.Key.Kind).ThenBy(p => p.Key.Status))
        {
            output.WriteLine($"  {kind,-40} {status} × {n}");
        }

        Assert.Equal(Requests, total);
        var distinct = problems.Select(p => p[..Math.Min(p.Length, 400)]).Distinct().Take(30).ToList();
        Assert.True(problems.IsEmpty, $"{problems.Count} problems:\n" + string.Join('\n', distinct));
        Assert.DoesNotContain(statuses.Keys, k => k.Status >= 500);

        var after = await SnapshotAsync(f);
        Assert.Equal(before, after);

        // Still serving: the running job finishes normally and the next one is dispatched.
        using var finish = new HttpRequestMessage(HttpMethod.Put, $"api/v4/jobs/{targets.RunningJob}") { Content = TestServer.Json($$"""{"token":"{{targets.RunningJobToken}}","state":"success"}""") };
        Assert.Equal(HttpStatusCode.OK, (await f.Http.SendAsync(finish)).StatusCode);
        Assert.Equal(CiStatus.Success, (await f.Server.Host.Stores.Pipelines.GetJobAsync(targets.RunningJob))!.Status);
    }

    /// <summary>The data the fuzzer must not change: two projects, variables (one masked), a finished job with a trace and an archive, a running one, git refs.</summary>
    private static async Task<FuzzTargets> SeedAsync(SecurityFixture f)
    {
        var project = await f.ProjectAsync("demo", Pipeline);
        var open = await f.ProjectAsync("open", "job: { script: [run] }", visibility: "public");
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"SECRET","value":"Masked-Value-0001","masked":true}""");
        await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, """{"key":"PLAIN","value":"plain"}""");
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);
        await f.RunPipelineAsync(open);
        var build = (await f.TakeJobAsync(runner))!;
        var foreign = (await f.TakeJobAsync(runner))!;
        var trace = "$ make\n" + new string('=', 120) + "\nbuilt\n";
        Assert.Equal(HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(build, 0, trace)).StatusCode);
        using (var upload = await f.UploadAsync(build.Id, build.Token, Archives.Zip(("out/app.txt", "built"))))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        (await f.Server.UpdateJobAsync(build, "success")).Dispose();
        var test = (await f.TakeJobAsync(runner))!;
        Assert.Equal("test", test.JobInfo.Name);
        Assert.Equal(HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(test, 0, trace)).StatusCode);

        // A repository with one pushed commit (after the pipelines: they come from the stored configuration).
        using var git = GitClient.Init();
        git.Write("README", "hello");
        git.Commit("first");
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{f.Server.Port}/root/demo.git", "main");
        await f.EnsureRepositoryAsync("root/open");

        return new FuzzTargets(project, open, pipeline, build.Id, test.Id, test.Token, build.Token, foreign.Token, runner, TestServer.RootToken, f.AliceToken, Encoding.UTF8.GetByteCount(trace));
    }

    /// <summary>Everything stored, as text: rows through the store, blob and trace files by hash, git refs.</summary>
    private static async Task<string> SnapshotAsync(SecurityFixture f)
    {
        var stores = f.Server.Host.Stores;
        var text = new StringBuilder();
        foreach (var project in await stores.Projects.ListProjectsAsync())
        {
            text.AppendLine(project.ToString());
            foreach (var v in await stores.Variables.ListVariablesAsync(project.Id))
            {
                text.AppendLine(v.ToString());
            }

            foreach (var row in (await stores.Pipelines.ListPipelinesAsync(project.Id, new ListQuery([], 0, 1000))).Items)
            {
                var p = (await stores.Pipelines.GetPipelineAsync(row.Id))!;
                text.AppendLine((p with { UpdatedAt = null }).ToString());
                foreach (var job in await stores.Pipelines.JobsOfPipelineAsync(p.Id))
                {
                    text.AppendLine(job.ToString());
                    text.AppendLine((await stores.Artifacts.FindArtifactAsync(job.Id, "archive"))?.ToString() ?? "no archive");
                }
            }
        }

        foreach (var runner in await stores.Runners.ListRunnersAsync())
        {
            text.AppendLine((runner with { ContactedAt = null }).ToString());
        }

        text.AppendLine((await stores.Identity.FindTokenAsync(Auth.Tokens.Hash(TestServer.RootToken), DateTimeOffset.UtcNow))?.User.ToString());
        text.AppendLine((await stores.Identity.FindTokenAsync(Auth.Tokens.Hash(f.AliceToken), DateTimeOffset.UtcNow))?.User.ToString());
        text.AppendLine(string.Join(',', (await stores.Projects.ListProjectsAsync()).Select(p => p.Path)));
        foreach (var file in Directory.EnumerateFiles(f.Server.DataDir, "*", SearchOption.AllDirectories).Where(Watched).Order(StringComparer.Ordinal))
        {
            text.AppendLine($"{Path.GetRelativePath(f.Server.DataDir, file)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))}");
        }

        return text.ToString();
    }

    /// <summary>Blobs, traces and git refs/objects (not the database files, whose pages change with every read-only audit write).</summary>
    private static bool Watched(string path) =>
        (path.Contains("/artifacts/", StringComparison.Ordinal) || path.Contains("/traces/", StringComparison.Ordinal) || path.Contains("/repos/", StringComparison.Ordinal))
        && !path.EndsWith("/FETCH_HEAD", StringComparison.Ordinal);

    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return (status, $"{status}: {Short(body)}");
            }

            if (status >= 400 && request.RequestUri!.OriginalString.StartsWith("api/", StringComparison.Ordinal) && status is not (414 or 431) && !HasMessage(body))
            {
                return (status, $"{status} without a {{\"message\"}} body: {Short(body)}");
            }

            return (status, null);
        }
        catch (HttpRequestException e)
        {
            // The server may close the connection on a body it refused mid-way (after answering); that is not a crash.
            return (0, e.InnerException is IOException ? null : e.Message);
        }
    }

    private static bool HasMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
