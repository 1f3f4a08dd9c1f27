using System.Globalization;
using Relais.Git;
using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Runner.Sources;

/// <summary>
/// Gets sources with the git CLI, with GitLab's variables: <c>GIT_STRATEGY</c> (<c>clone</c>, <c>fetch</c>,
/// <c>none</c>, <c>empty</c>; default <c>fetch</c> when the payload allows it, else <c>clone</c>), <c>GIT_DEPTH</c>,
/// <c>GIT_CHECKOUT</c>, <c>GIT_CLEAN_FLAGS</c>, <c>GIT_FETCH_EXTRA_FLAGS</c>, <c>GIT_SUBMODULE_STRATEGY</c>,
/// <c>GIT_SUBMODULE_PATHS</c>, <c>GIT_SUBMODULE_DEPTH</c>, <c>GIT_SUBMODULE_UPDATE_FLAGS</c>. Like gitlab-runner it
/// initializes the repository in place, fetches the refspecs (derived from the ref when the payload has none),
/// checks out the commit detached and cleans. <c>repo_url</c> may be a local path or <c>file://</c> URL.
/// </summary>
public sealed class GitSourceProvider : ISourceProvider
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static GitSourceProvider Instance { get; } = new();

    /// <inheritdoc />
    public string Header => "Getting source from Git repository";

    /// <inheritdoc />
    public bool Fetches(SourceContext context) => Strategy(context) is not ("none" or "empty");

    /// <inheritdoc />
    public async Task<StageResult> GetSourcesAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dir = context.Paths.HostProjectDir;
        switch (Strategy(context))
        {
            case "none":
                context.Log.Notice("Skipping Git repository setup");
                Directory.CreateDirectory(dir);
                return StageResult.Ok;
            case "empty":
                context.Log.Notice("Skipping Git repository setup and creating an empty build directory");
                DeleteDirectory(dir);
                Directory.CreateDirectory(dir);
                return StageResult.Ok;
            case "clone":
                DeleteDirectory(dir);
                break;
            case "fetch":
                break;
            case var other:
                return StageResult.Failed(FailureReasons.RunnerSystemFailure, $"unknown GIT_STRATEGY '{other}'");
        }

        var git = new GitSteps(context, cancellationToken);
        return await git.FetchAsync() ?? await git.CheckoutAsync() ?? await git.SubmodulesAsync() ?? StageResult.Ok;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListUntrackedAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Directory.Exists(Path.Combine(context.Paths.HostProjectDir, ".git")))
        {
            return [];
        }

        // Untracked means "not tracked by git", ignored files included (GitLab's artifacts:untracked).
        var files = await GitRepository.At(context.Paths.HostProjectDir).ListFilesAsync(WorkingTreeFiles.Untracked | WorkingTreeFiles.Ignored, cancellationToken);
        return files ?? [];
    }

    internal static string Strategy(SourceContext context) =>
        context.Variables.Get("GIT_STRATEGY")?.Trim().ToLowerInvariant() switch
        {
            null or "" => context.Job.AllowGitFetch ? "fetch" : "clone",
            var value => value,
        };

    internal static void DeleteDirectory(string dir) => Files.Directories.DeleteRecursively(dir);

    internal static int? ParseDepth(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth) ? depth : null;
}
