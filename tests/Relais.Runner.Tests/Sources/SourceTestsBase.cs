using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors.Shell;
using Relais.Runner.Jobs;
using Relais.Runner.Tests.Support;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Sources;

/// <summary>Runs jobs with the real shell executor and real git, for the source providers.</summary>
public abstract class SourceTestsBase : IDisposable
{
    protected TempDirectory Root { get; } = new("sources");

    protected DirectoryArtifactStore Artifacts { get; }

    protected SourceTestsBase() => Artifacts = new DirectoryArtifactStore(Root.Combine("artifacts"));

    public void Dispose()
    {
        Root.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string BuildDir(JobResponse job, int slot = 0) =>
        Path.Combine(Root.Combine("builds"), JobDirectories.ProjectDirName(job, new RunnerSettings(), slot));

    protected async Task<(JobOutcome Outcome, string Log)> RunAsync(JobResponse job, JobRunOptions? options = null)
    {
        var runner = new JobRunner(new ShellExecutor(new ShellExecutorOptions { BuildsDir = Root.Combine("builds") }), new DirectoryCacheStore(Root.Combine("cache")), Artifacts);
        var trace = new MemoryJobTrace();
        var outcome = await runner.RunAsync(job, trace, options);
        return (outcome, trace.Text);
    }

    protected static JobResponse GitJob(string repoUrl, string sha, IReadOnlyList<string> script, params JobVariable[] variables)
    {
        var job = Payloads.Job(script);
        job.GitInfo = new GitInfo { RepoUrl = repoUrl, Ref = "main", Sha = sha, RefType = "branch" };
        job.Variables = [.. job.Variables.Where(v => v.Key != "GIT_STRATEGY"), .. variables];
        return job;
    }
}
