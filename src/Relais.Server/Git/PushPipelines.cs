using System.Text.RegularExpressions;
using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>Why a ref update of a push made no pipeline (or <see cref="Created"/> when it made one).</summary>
internal enum PushOutcome
{
    Created,
    Deleted,
    NotBranchOrTag,
    Rejected,
    Skipped,
    NoConfiguration,
    FilteredOut,
}

/// <summary>What one ref update of a push led to: the pipeline's id when one was created (or recorded as skipped).</summary>
internal readonly record struct PushResult(RefUpdate Update, PushOutcome Outcome, long? PipelineId = null);

/// <summary>
/// Turns an accepted push into pipelines, as GitLab does: one per branch or tag created or updated (none for a
/// deletion, a ref git rejected, or a commit without <c>.gitlab-ci.yml</c>); a commit
/// saying <c>[ci skip]</c>/<c>[skip ci]</c>, or a push with <c>-o ci.skip</c>, gets a pipeline with status <c>skipped</c> and no
/// jobs; <c>-o ci.variable=</c> and <c>-o ci.input=</c> give its pipelines variables and inputs (<see cref="PushOptions"/>). The project is created on its first push; its first pushed branch becomes the
/// default branch, which is protected. A new pipeline for a branch auto-cancels the older ones still going there
/// (<see cref="RedundantPipelines"/>).
/// </summary>
internal sealed partial class PushPipelines(IProjectStore store, PipelineCreator creator, PipelineUsers users, RedundantPipelines redundant, TimeProvider time)
{
    /// <summary>Told of every push once its pipelines are made (webhooks' push and tag push events); null: nobody.</summary>
    public Relais.Server.Webhooks.WebhookEvents? Webhooks { get; set; }

    /// <summary>Stops the environments of a deleted branch (issue #16); null: nothing is stopped.</summary>
    public Environments.EnvironmentStopper? Environments { get; set; }

    /// <summary>
    /// Makes the pipelines of a push by <paramref name="pusher"/> (null: not known, e.g. a job or deploy key), who becomes
    /// their user, with the push's <paramref name="options"/> (<c>git push -o</c>; none when null).
    /// </summary>
    public async Task<IReadOnlyList<PushResult>> HandleAsync(
        string projectPath, string gitDir, IReadOnlyList<RefUpdate> updates, UserRecord? pusher, CancellationToken cancellationToken, PushOptions? options = null)
    {
        options ??= PushOptions.None;
        if (updates.Count == 0)
        {
            return [];
        }

        var git = GitRepository.Bare(gitDir);
        var firstBranch = updates.Where(u => u.IsBranch && !u.IsDelete).Select(u => u.ShortName).FirstOrDefault();
        var project = await store.EnsureProjectAsync(projectPath, firstBranch ?? "main", time.GetUtcNow(), cancellationToken);
        if (updates.Any(u => u.IsBranch && u.IsCreate && u.ShortName == project.DefaultBranch))
        {
            await GitRepositories.SetHeadAsync(git, project.DefaultBranch, cancellationToken);
        }

        var user = await users.OfAsync(pusher, cancellationToken);
        var results = new List<PushResult>(updates.Count);
        foreach (var update in updates)
        {
            results.Add(await HandleOneAsync(project, git, update, user, options, cancellationToken));
        }

        if (Webhooks is { } webhooks)
        {
            await webhooks.PushedAsync(project, git, updates, user, options, cancellationToken);
        }

        return results;
    }

    /// <summary>What follows a branch's deletion, by a push or the API: its environments are stopped (GitLab's <c>StopEnvironmentsService</c>).</summary>
    private async Task BranchDeletedAsync(ProjectRecord project, string branch, PipelineUser? user, CancellationToken cancellationToken)
    {
        if (Environments is { } environments)
        {
            await environments.StopForBranchAsync(project.Id, branch, user?.Id, cancellationToken);
        }
    }

    private async Task<PushResult> HandleOneAsync(ProjectRecord project, GitRepository git, RefUpdate update, PipelineUser? user, PushOptions options, CancellationToken cancellationToken)
    {
        if (update.IsDelete)
        {
            if (update.IsBranch)
            {
                await BranchDeletedAsync(project, update.ShortName, user, cancellationToken);
            }

            return new(update, PushOutcome.Deleted);
        }

        if (!update.IsBranch && !update.IsTag)
        {
            return new(update, PushOutcome.NotBranchOrTag);
        }

        var now = await git.ResolveAsync(update.Ref, cancellationToken);
        var sha = await git.ResolveCommitAsync(update.NewSha, cancellationToken);
        if (now != update.NewSha || sha is null)
        {
            return new(update, PushOutcome.Rejected);
        }

        var trigger = new CommitTrigger(update.ShortName, update.IsTag, sha, PipelineSource.Push) { BeforeSha = update.OldSha };
        if (await CommitPipelines.ContextAsync(git, trigger, cancellationToken) is not { } found)
        {
            return new(update, PushOutcome.Rejected);
        }

        // ci.variable options are the pipeline's own variables, as an API caller's are (they come last, over the project's).
        var context = found with { User = user, Variables = [.. found.Variables, .. options.Variables] };

        if (options.SkipsCi || SkipCi().IsMatch(context.CommitMessage))
        {
            return new(update, PushOutcome.Skipped, await creator.CreateSkippedAsync(project, context));
        }

        var input = await CommitPipelines.InputAsync(git, context, cancellationToken);
        if (input is null)
        {
            return new(update, PushOutcome.NoConfiguration);
        }

        if (options.Inputs is { } inputs)
        {
            input = input with { Inputs = Relais.Pipelines.CompileInputs.FromText(inputs, "ci.input") };
        }

        CreatedPipeline created;
        await using (input.Source as CommitFiles)
        {
            created = await creator.CreateAsync(project, input);
        }

        if (!created.Created)
        {
            return new(update, PushOutcome.FilteredOut); // workflow:rules: no pipeline, and none older is auto-canceled
        }

        if (update.IsBranch)
        {
            await redundant.AutoCancelOlderAsync(project.Id, update.ShortName, created.Id);
        }

        return new(update, PushOutcome.Created, created.Id);
    }

    /// <summary>GitLab's skip markers: <c>[ci skip]</c>, <c>[skip ci]</c> (also with <c>-</c> or <c>_</c>), any case.</summary>
    [GeneratedRegex(@"\[(ci[ _-]skip|skip[ _-]ci)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkipCi();
}
