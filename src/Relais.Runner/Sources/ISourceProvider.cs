using Relais.Protocol.Jobs;
using Relais.Runner.Executors;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;
using Relais.Runner.Variables;

namespace Relais.Runner.Sources;

/// <summary>What a source provider gets for one job.</summary>
/// <param name="Job">The job payload (<c>git_info</c>).</param>
/// <param name="Variables">The job's variables (<c>GIT_STRATEGY</c>, <c>GIT_DEPTH</c>, ...).</param>
/// <param name="Paths">The job's paths; providers write to <see cref="JobPaths.HostProjectDir"/>.</param>
/// <param name="Log">The job's log.</param>
public sealed record SourceContext(JobResponse Job, JobVariables Variables, JobPaths Paths, IJobLog Log);

/// <summary>
/// Puts a job's sources into its project directory (the <c>get_sources</c> stage) and tells which files there are
/// untracked (for <c>artifacts:untracked</c> and <c>cache:untracked</c>). Implementations: <see cref="GitSourceProvider"/>
/// (GitLab's <c>GIT_STRATEGY</c> semantics, the real git CLI) and <see cref="WorkingTreeSourceProvider"/> (the local
/// working tree with uncommitted changes, for <c>relais run</c>). Thread-safe: one instance may serve concurrent jobs.
/// </summary>
public interface ISourceProvider
{
    /// <summary>The section header of the stage.</summary>
    string Header { get; }

    /// <summary>Whether the stage has anything to do for this job (runs hooks around it when so).</summary>
    bool Fetches(SourceContext context);

    /// <summary>Fills the project directory.</summary>
    Task<StageResult> GetSourcesAsync(SourceContext context, CancellationToken cancellationToken);

    /// <summary>Files under the project directory (relative, <c>/</c>-separated) that the sources did not bring.</summary>
    Task<IReadOnlyList<string>> ListUntrackedAsync(SourceContext context, CancellationToken cancellationToken);
}
