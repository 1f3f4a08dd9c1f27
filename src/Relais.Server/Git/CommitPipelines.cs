using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Server.Pipelines;

namespace Relais.Server.Git;

/// <summary>What starts a pipeline for a commit of a hosted repository: the ref, the commit and the source.</summary>
/// <param name="Ref">The branch or tag name (without <c>refs/heads/</c> or <c>refs/tags/</c>).</param>
/// <param name="IsTag">Whether <paramref name="Ref"/> is a tag.</param>
/// <param name="Sha">The commit.</param>
/// <param name="Source">What started it (<c>push</c> for a push, <c>api</c> for <c>POST /projects/:id/pipeline</c>).</param>
internal sealed record CommitTrigger(string Ref, bool IsTag, string Sha, PipelineSource Source)
{
    /// <summary>The ref's tip before a push (all zeros for a new ref); null when there is nothing to compare with.</summary>
    public string? BeforeSha { get; init; }
}

/// <summary>
/// The one place a pipeline's context and files are made from a commit of a hosted repository, for a push and for
/// the API alike: ref, sha, before sha, commit message, author and date, the files changed since the ref's previous
/// tip (a push to an existing branch only; otherwise null, and every <c>changes</c> holds) and the source.
/// </summary>
internal static class CommitPipelines
{
    /// <summary>The context of a pipeline for <paramref name="trigger"/>; null when the commit does not exist.</summary>
    public static async Task<PipelineContext?> ContextAsync(GitRepository git, CommitTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(trigger);
        if (await git.ReadCommitAsync(trigger.Sha, cancellationToken) is not { } commit)
        {
            return null;
        }

        var compared = !trigger.IsTag && trigger.BeforeSha is { } before && before != GitRepositories.ZeroSha;
        return new PipelineContext
        {
            Ref = trigger.Ref,
            IsTag = trigger.IsTag,
            Source = trigger.Source,
            Sha = commit.Sha,
            BeforeSha = trigger.BeforeSha,
            CommitMessage = commit.Message,
            CommitAuthor = commit.Author,
            CommitTimestamp = commit.AuthoredAt,
            ChangedFiles = compared ? await git.ChangedFilesAsync(trigger.BeforeSha!, commit.Sha, cancellationToken) : null,
        };
    }

    /// <summary>
    /// What the pipeline is made from: the commit's files (its configuration file already read, through one
    /// <c>cat-file --batch</c> that serves the includes too) and <paramref name="context"/>; <c>refs/pipelines/ID</c> is
    /// created before its jobs start. Null when the commit has no configuration file. Dispose the input's source
    /// (<see cref="CommitFiles"/>) once the pipeline is created.
    /// </summary>
    public static async Task<PipelineInput?> InputAsync(GitRepository git, PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(context);
        var files = new CommitFiles(git, context.Sha);
        if (await files.ReadAsync(context.ConfigPath, cancellationToken) is null)
        {
            await files.DisposeAsync();
            return null;
        }

        var sha = context.Sha;
        return new PipelineInput(files, context) { BeforeStart = id => GitRepositories.CreatePipelineRefAsync(git, id, sha, CancellationToken.None) };
    }
}
