using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors.Docker;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

// The docker executor's figures (needs scripts/docker.sh's images). Run from the repository root:
//   dotnet run -c Release --project bench/Relais.Bench.Docker -- [ROUNDS]
//   dotnet run -c Release --project bench/Relais.Bench.Docker -- client [ROUNDS]   (the Engine API client alone: ClientBench.cs)
// 1. job overhead: a whole job (GIT_STRATEGY=none, script `true`) in relais-test/busybox against a plain
//    `docker run --rm relais-test/busybox sh -c true` through the docker CLI, interleaved, medians;
// 2. job start → first script line with one service (a busybox httpd waited for on its port), and with a DinD
//    service (TLS, waited for until its daemon answers).
if (args.Length > 0 && args[0] == "client")
{
    return await ClientBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
}

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
const string Busybox = "relais-test/busybox:latest";
const string Dind = "relais-test/dind:latest";
var root = Path.Combine(Path.GetTempPath(), "relais-docker-bench-" + Guid.NewGuid().ToString("N")[..8]);
using var executor = new DockerExecutor(new DockerExecutorSettings
{
    BuildsDir = Path.Combine(root, "builds"), DefaultImage = Busybox, Privileged = true, PrivilegedAsCapabilities = true,
});
var runner = new JobRunner(executor, new DirectoryCacheStore(Path.Combine(root, "cache")), new DirectoryArtifactStore(Path.Combine(root, "artifacts")));
long nextId = 1;

JobResponse Job(string[] script, IReadOnlyList<JobService>? services = null, IReadOnlyList<JobVariable>? variables = null, JobImage? image = null)
{
    var id = nextId++;
    return new JobResponse
    {
        Id = id, Token = "bench-" + id, Image = image ?? new JobImage { Name = Busybox }, Services = services ?? [],
        JobInfo = new JobInfo { Id = id, Name = "bench", Stage = "test", ProjectId = 1, ProjectName = "app", ProjectFullPath = "bench/app" },
        GitInfo = new GitInfo { RepoUrl = "", Ref = "main", Sha = "" },
        Variables = [new JobVariable("GIT_STRATEGY", "none"), .. variables ?? []],
        Steps = [new JobStep { Name = StepNames.Script, Script = script, Timeout = 600, When = "on_success" }],
    };
}

async Task<double> JobAsync(JobResponse job)
{
    var trace = new MarkerTrace("SCRIPT-STARTED");
    var watch = Stopwatch.StartNew();
    var outcome = await runner.RunAsync(job, trace);
    if (!outcome.Succeeded)
    {
        throw new InvalidOperationException("the job failed:\n" + trace.Text);
    }

    return (trace.SeenAt ?? watch.Elapsed).TotalMilliseconds;
}

async Task<double> WholeJobAsync()
{
    var watch = Stopwatch.StartNew();
    var trace = new MarkerTrace("");
    var outcome = await runner.RunAsync(Job(["true"]), trace);
    return outcome.Succeeded ? watch.Elapsed.TotalMilliseconds : throw new InvalidOperationException(trace.Text);
}

static async Task<double> PlainRunAsync()
{
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("docker", ["run", "--rm", Busybox, "sh", "-c", "true"]) { RedirectStandardOutput = true })!;
    await process.WaitForExitAsync();
    return process.ExitCode == 0 ? watch.Elapsed.TotalMilliseconds : throw new InvalidOperationException("docker run failed");
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

await PlainRunAsync();
await WholeJobAsync();
var plain = new List<double>();
var whole = new List<double>();
for (var i = 0; i < rounds; i++)
{
    plain.Add(await PlainRunAsync());
    whole.Add(await WholeJobAsync());
}

var web = new JobService
{
    Name = Busybox, Alias = "web", Entrypoint = ["sh", "-c"], Command = ["mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"],
    Ports = [new ImagePort { Number = 8080 }],
};
var withService = new List<double>();
var withDind = new List<double>();
var noService = new List<double>();
for (var i = 0; i < Math.Max(3, rounds / 3); i++)
{
    noService.Add(await JobAsync(Job(["echo SCRIPT-STARTED"])));
    withService.Add(await JobAsync(Job(["echo SCRIPT-STARTED"], [web])));
    withDind.Add(await JobAsync(Job(
        ["echo SCRIPT-STARTED", "docker version >/dev/null"], [new JobService { Name = Dind, Alias = "docker" }],
        [new JobVariable("DOCKER_TLS_CERTDIR", "/certs")], new JobImage { Name = Dind, Entrypoint = [""] })));
}

Console.WriteLine($"rounds: {rounds} (overhead), {noService.Count} (start-up)");
Console.WriteLine($"plain `docker run --rm busybox sh -c true` (CLI):  median {Median(plain):F0} ms");
Console.WriteLine($"whole job, script `true` (docker executor):        median {Median(whole):F0} ms");
Console.WriteLine($"ratio job / docker run:                            {Median(whole) / Median(plain):F2}x");
Console.WriteLine($"job start → script start, no service:              median {Median(noService):F0} ms");
Console.WriteLine($"job start → script start, one service (port wait): median {Median(withService):F0} ms");
Console.WriteLine($"job start → script start, DinD (TLS, daemon wait): median {Median(withDind):F0} ms");
Directory.Delete(root, recursive: true);
return 0;

/// <summary>Notes when a marker first appears in the log (the script's first line).</summary>
internal sealed class MarkerTrace(string marker) : IJobTrace
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly StringBuilder _text = new();

    public TimeSpan? SeenAt { get; private set; }

    public string Text => _text.ToString();

    public void Write(ReadOnlySpan<byte> data)
    {
        _text.Append(Encoding.UTF8.GetString(data));
        if (SeenAt is null && marker.Length > 0 && _text.ToString().Contains("\n" + marker + "\n", StringComparison.Ordinal))
        {
            SeenAt = _watch.Elapsed;
        }
    }
}
