using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Runner.Sources;

/// <summary>
/// Brings a local working tree into the job's project directory, uncommitted changes included (what <c>relais run</c>
/// needs; gitlab-ci-local does the same). The tree's file list is taken once per instance, on first use, so every job
/// of a run sees the same set of files: with git, the tracked and untracked-but-not-ignored files
/// (<c>git ls-files -co --exclude-standard</c>); without git, every file. The copy is a sync: unchanged files (same size
/// and modification time) are skipped and files the tree does not have are removed, so a reused directory ends up as a
/// fresh copy. <c>.git</c> is not copied. <c>GIT_STRATEGY=none</c> skips the copy; "untracked" files are those the
/// copy did not bring.
/// </summary>
public sealed class WorkingTreeSourceProvider : ISourceProvider
{
    private readonly string _source;
    private readonly Lazy<Task<WorkingTreeSnapshot>> _snapshot;

    /// <summary>Creates the provider for the working tree at <paramref name="sourceDirectory"/>.</summary>
    public WorkingTreeSourceProvider(string sourceDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        _source = Path.GetFullPath(sourceDirectory);
        _snapshot = new Lazy<Task<WorkingTreeSnapshot>>(() => WorkingTreeSnapshot.TakeAsync(_source));
    }

    /// <inheritdoc />
    public string Header => "Copying the working tree";

    /// <inheritdoc />
    public bool Fetches(SourceContext context) => GitSourceProvider.Strategy(context) is not ("none" or "empty");

    /// <inheritdoc />
    public async Task<StageResult> GetSourcesAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Paths.HostProjectDir;
        switch (GitSourceProvider.Strategy(context))
        {
            case "none":
                context.Log.Notice("Skipping the working tree copy (GIT_STRATEGY=none)");
                Directory.CreateDirectory(target);
                return StageResult.Ok;
            case "empty":
                context.Log.Notice("Creating an empty build directory (GIT_STRATEGY=empty)");
                GitSourceProvider.DeleteDirectory(target);
                Directory.CreateDirectory(target);
                return StageResult.Ok;
        }

        if (Path.GetFullPath(target).TrimEnd('/') == _source.TrimEnd('/'))
        {
            return StageResult.Failed(FailureReasons.RunnerConfigurationError, "the build directory is the working tree itself");
        }

        var snapshot = await _snapshot.Value;
        context.Log.Notice($"Copying the working tree of {_source} (uncommitted changes included)...");
        var (copied, unchanged, removed) = snapshot.SyncTo(target, cancellationToken);
        context.Log.Info($"{copied} files copied, {unchanged} unchanged, {removed} removed");
        return StageResult.Ok;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListUntrackedAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = await _snapshot.Value;
        return snapshot.Untracked(context.Paths.HostProjectDir);
    }
}
