using System.Collections.Concurrent;
using Relais.Dispatch;
using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Protocol.Reports;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Jobs;
using Relais.Runner.Sources;
using Relais.Runner.Trace;

namespace Relais.Cli.Run;

/// <summary>
/// Runs one job of a local pipeline: builds its payload the way the coordinator would, hands it to the
/// runner core with the shell executor, and keeps what later jobs need — artifacts in
/// <c>.relais/artifacts</c>, caches in <c>.relais/cache</c>, dotenv variables in memory.
/// </summary>
internal sealed class LocalJobRunner
{
    private readonly PipelinePlan _plan;
    private readonly PipelineContext _context;
    private readonly LocalPaths _paths;
    private readonly JobRunner _runner;
    private readonly WorkingTreeSourceProvider _sources;
    private readonly DirectoryArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long> _jobIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<PlanVariable>> _dotenv = new(StringComparer.Ordinal);
    private long _nextId;

    public LocalJobRunner(PipelinePlan plan, PipelineContext context, LocalPaths paths, string executorName, TimeProvider time)
    {
        _plan = plan;
        _context = context;
        _paths = paths;
        _artifacts = new DirectoryArtifactStore(paths.Artifacts);
        _sources = new WorkingTreeSourceProvider(paths.Root);
        var executor = ExecutorCatalog.Create(executorName, new ExecutorSetup(paths.Builds))
            ?? throw new ArgumentException(ExecutorCatalog.Unknown(executorName), nameof(executorName));
        _time = time;
        _runner = new JobRunner(executor, new DirectoryCacheStore(paths.Cache), _artifacts, new RunnerSettings { Name = "relais-local" }, time);
        _nextId = time.GetUtcNow().ToUnixTimeMilliseconds() % 1_000_000 * 1000;
    }

    public async Task<JobOutcome> RunAsync(string name, int slot, bool manual, IJobTrace trace, CancellationToken cancel)
    {
        var job = _plan.Job(name)!;
        var id = Interlocked.Increment(ref _nextId);
        var payload = JobPayloadBuilder.Build(new JobDispatch
        {
            Plan = _plan,
            Job = job,
            Context = _context,
            JobId = id,
            JobToken = "local-" + Guid.NewGuid().ToString("N"),
            RepoUrl = _paths.Root,
            StartedAt = _time.GetUtcNow(),
            Dependencies = Dependencies(job),
            DotenvVariables = [.. Dependencies(job).SelectMany(d => _dotenv.GetValueOrDefault(d.Name) ?? [])],
            Manual = manual,
        });
        var outcome = await _runner.RunAsync(payload, trace, new JobRunOptions { ConcurrentId = slot, ConcurrentProjectId = slot, Sources = _sources }, cancel);
        _jobIds[name] = id;
        ReadDotenv(name, id);
        return outcome;
    }

    /// <summary>The jobs <see cref="ArtifactDependencies"/> names that have run here, with their archives.</summary>
    private List<JobDependency> Dependencies(JobPlan job)
    {
        var result = new List<JobDependency>();
        foreach (var name in ArtifactDependencies.Of(_plan, job))
        {
            if (_jobIds.TryGetValue(name, out var id))
            {
                var file = _artifacts.Find(id, ArtifactTypes.Archive);
                result.Add(new JobDependency
                {
                    Id = id,
                    Name = name,
                    Token = "local",
                    ArtifactsFile = file is null ? null : new ArtifactsFile { Filename = Path.GetFileName(file), Size = new FileInfo(file).Length },
                });
            }
        }

        return result;
    }

    private void ReadDotenv(string name, long id)
    {
        if (_artifacts.Find(id, ArtifactTypes.Dotenv) is not { } path)
        {
            return;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes is [0x1f, 0x8b, ..])
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }

        var report = DotenvReport.Parse(bytes);
        _dotenv[name] = [.. report.Variables.Select(v => new PlanVariable(v.Key, v.Value))];
    }
}

/// <summary>Where a local run keeps its files: under <c>.relais/</c> at the top of the checkout, ignored by git.</summary>
internal sealed record LocalPaths(string Root)
{
    public string State => Path.Combine(Root, ".relais");

    public string Builds => Path.Combine(State, "builds");

    public string Cache => Path.Combine(State, "cache");

    public string Artifacts => Path.Combine(State, "artifacts");

    /// <summary>Creates the folders, with a <c>.gitignore</c> that ignores the whole folder.</summary>
    public LocalPaths Ensure()
    {
        Directory.CreateDirectory(State);
        var ignore = Path.Combine(State, ".gitignore");
        if (!File.Exists(ignore))
        {
            File.WriteAllText(ignore, "# Relais keeps local runs' builds, caches and artifacts here.\n*\n");
        }

        return this;
    }
}
