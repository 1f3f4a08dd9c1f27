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
    private readonly Shared _shared;
    private readonly ConcurrentDictionary<string, long> _jobIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<PlanVariable>> _dotenv = new(StringComparer.Ordinal);

    public LocalJobRunner(PipelinePlan plan, PipelineContext context, LocalPaths paths, string executorName, TimeProvider time)
    {
        var executor = ExecutorCatalog.Create(executorName, new ExecutorSetup(paths.Builds))
            ?? throw new ArgumentException(ExecutorCatalog.Unknown(executorName), nameof(executorName));
        var artifacts = new DirectoryArtifactStore(paths.Artifacts);
        _plan = plan;
        _context = context;
        _shared = new Shared(
            new JobRunner(executor, new DirectoryCacheStore(paths.Cache), artifacts, new RunnerSettings { Name = "relais-local" }, time),
            new WorkingTreeSourceProvider(paths.Root),
            artifacts,
            paths.Root,
            time)
        {
            NextId = time.GetUtcNow().ToUnixTimeMilliseconds() % 1_000_000 * 1000,
        };
    }

    private LocalJobRunner(PipelinePlan plan, PipelineContext context, Shared shared)
    {
        _plan = plan;
        _context = context;
        _shared = shared;
    }

    /// <summary>The pipeline this runner runs the jobs of.</summary>
    public PipelinePlan Plan => _plan;

    /// <summary>The context the pipeline was compiled with.</summary>
    public PipelineContext Context => _context;

    /// <summary>A runner for a child pipeline: the same executor, caches, artifacts and job numbers.</summary>
    public LocalJobRunner ForChild(PipelinePlan plan, PipelineContext context) => new(plan, context, _shared);

    /// <summary>A job number no other job of this run has.</summary>
    public long NewJobId() => Interlocked.Increment(ref _shared.NextId);

    /// <summary>The text of <paramref name="path"/> in the artifacts archive of job <paramref name="job"/> when it ran here; null when there is none.</summary>
    public string? ArtifactFile(string job, string path)
    {
        if (!_jobIds.TryGetValue(job, out var id) || _shared.Artifacts.Find(id, ArtifactTypes.Archive) is not { } archive)
        {
            return null;
        }

        using var zip = System.IO.Compression.ZipFile.OpenRead(archive);
        if (zip.GetEntry(path) is not { } entry || entry.Length > Relais.Dispatch.Downstream.ChildPipelineFiles.MaxArtifactFileBytes)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    public async Task<JobOutcome> RunAsync(string name, int slot, bool manual, IJobTrace trace, CancellationToken cancel)
    {
        var job = _plan.Job(name)!;
        var id = NewJobId();
        var payload = JobPayloadBuilder.Build(new JobDispatch
        {
            Plan = _plan,
            Job = job,
            Context = _context,
            JobId = id,
            JobToken = "local-" + Guid.NewGuid().ToString("N"),
            RepoUrl = _shared.Root,
            StartedAt = _shared.Time.GetUtcNow(),
            Dependencies = Dependencies(job),
            DotenvVariables = [.. Dependencies(job).SelectMany(d => _dotenv.GetValueOrDefault(d.Name) ?? [])],
            Manual = manual,
        });
        var outcome = await _shared.Runner.RunAsync(payload, trace, new JobRunOptions { ConcurrentId = slot, ConcurrentProjectId = slot, Sources = _shared.Sources }, cancel);
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
                var file = _shared.Artifacts.Find(id, ArtifactTypes.Archive);
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
        if (_shared.Artifacts.Find(id, ArtifactTypes.Dotenv) is not { } path)
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

    /// <summary>What the runners of one local run share, child pipelines included.</summary>
    private sealed class Shared(JobRunner runner, WorkingTreeSourceProvider sources, DirectoryArtifactStore artifacts, string root, TimeProvider time)
    {
        public JobRunner Runner => runner;

        public WorkingTreeSourceProvider Sources => sources;

        public DirectoryArtifactStore Artifacts => artifacts;

        /// <summary>The checkout the jobs run (their repository URL).</summary>
        public string Root => root;

        public TimeProvider Time => time;

        /// <summary>The last job number handed out (a field, for <see cref="Interlocked"/>).</summary>
#pragma warning disable CA1051, SA1401 // a counter incremented in place
        public long NextId;
#pragma warning restore CA1051, SA1401
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
