using Relais.Pipelines.Sources;

namespace Relais.Cli.Run;

/// <summary>
/// What every pipeline of one <c>relais run</c> shares, child pipelines included: the output, the limit of jobs at
/// once per pipeline, the manual jobs to play, the clock, the repository's files (opened anew for each child
/// pipeline's compile), and the numbers of pipelines and of their job slots (each pipeline its own range of slots,
/// so two pipelines' jobs never share a build folder).
/// </summary>
internal sealed class LocalRun(RunOutput output, int concurrency, IReadOnlySet<string> play, TimeProvider time, Func<IConfigSource> openFiles)
{
    private int _pipelines = 1;

    public RunOutput Output => output;

    public int Concurrency => Math.Max(1, concurrency);

    public IReadOnlySet<string> Play => play;

    public TimeProvider Time => time;

    /// <summary>The repository's files as the run compiled them (the working tree, or the commit of <c>--commit</c>).</summary>
    public IConfigSource OpenFiles() => openFiles();

    /// <summary>A number for one more pipeline of this run (the first pipeline is 1).</summary>
    public int NextPipeline() => Interlocked.Increment(ref _pipelines);

    /// <summary>The first job slot of pipeline <paramref name="pipeline"/>.</summary>
    public int FirstSlotOf(int pipeline) => ((pipeline - 1) * Concurrency) + 1;
}
