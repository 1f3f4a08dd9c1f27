using System.Globalization;
using System.Text.RegularExpressions;
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

/// <summary>What one ref update of a push led to: the pipeline's id when one was created.</summary>
internal readonly record struct PushResult(RefUpdate Update, PushOutcome Outcome, long? PipelineId = null);

/// <summary>
/// Turns an accepted push into pipelines, as GitLab does: one per branch or tag created or updated (none for a
/// deletion, a ref git rejected, a commit saying <c>[ci skip]</c>/<c>[skip ci]</c>, or a commit without
/// <c>.gitlab-ci.yml</c>). The project is created on its first push; its first pushed branch becomes the
/// default branch, which is protected. A new pipeline for a branch auto-cancels the older ones still going there
/// (<see cref="RedundantPipelines"/>).
/// </summary>
internal sealed partial class PushPipelines(IProjectStore store, PipelineCreator creator, RedundantPipelines redundant, TimeProvider time)
{
    public async Task<IReadOnlyList<PushResult>> HandleAsync(string projectPath, string gitDir, IReadOnlyList<RefUpdate> updates)
    {
        if (updates.Count == 0)
        {
            return [];
        }

        var firstBranch = updates.Where(u => u.IsBranch && !u.IsDelete).Select(u => u.ShortName).FirstOrDefault();
        var project = await store.EnsureProjectAsync(projectPath, firstBranch ?? "main", time.GetUtcNow());
        if (updates.Any(u => u.IsBranch && u.IsCreate && u.ShortName == project.DefaultBranch))
        {
            await GitRepositories.SetHeadAsync(gitDir, project.DefaultBranch);
        }

        var results = new List<PushResult>(updates.Count);
        foreach (var update in updates)
        {
            results.Add(await HandleOneAsync(project, gitDir, update));
        }

        return results;
    }

    private async Task<PushResult> HandleOneAsync(ProjectRecord project, string gitDir, RefUpdate update)
    {
        if (update.IsDelete)
        {
            return new(update, PushOutcome.Deleted);
        }

        if (!update.IsBranch && !update.IsTag)
        {
            return new(update, PushOutcome.NotBranchOrTag);
        }

        var now = (await GitCommand.RunAsync(gitDir, "rev-parse", "--verify", "--quiet", update.Ref))?.Trim();
        var sha = (await GitCommand.RunAsync(gitDir, "rev-parse", "--verify", "--quiet", update.NewSha + "^{commit}"))?.Trim();
        if (now != update.NewSha || sha is null)
        {
            return new(update, PushOutcome.Rejected);
        }

        var commit = await CommitInfo.ReadAsync(gitDir, sha);
        if (SkipCi().IsMatch(commit.Message))
        {
            return new(update, PushOutcome.Skipped);
        }

        var files = new CommitFiles(gitDir, sha);
        var context = new PipelineContext
        {
            Ref = update.ShortName,
            IsTag = update.IsTag,
            Source = PipelineSource.Push,
            Sha = sha,
            BeforeSha = update.OldSha,
            CommitMessage = commit.Message,
            CommitAuthor = commit.Author,
            CommitTimestamp = commit.Timestamp,
            ChangedFiles = update.IsBranch && !update.IsCreate ? await ChangedFilesAsync(gitDir, update.OldSha, sha) : null,
        };
        if (files.ReadFile(context.ConfigPath) is null)
        {
            return new(update, PushOutcome.NoConfiguration);
        }

        var input = new PipelineInput(files, context) { BeforeStart = id => GitRepositories.CreatePipelineRefAsync(gitDir, id, sha) };
        var created = await creator.CreateAsync(project, input);
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

    /// <summary>The files changed between the ref's previous and new tip; null when git cannot tell (then every <c>changes</c> holds).</summary>
    private static async Task<IReadOnlyList<string>?> ChangedFilesAsync(string gitDir, string before, string after) =>
        (await GitCommand.RunAsync(gitDir, "diff", "--name-only", "-z", "--no-renames", before, after))?.Split('\0', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>GitLab's skip markers: <c>[ci skip]</c>, <c>[skip ci]</c> (also with <c>-</c> or <c>_</c>), any case.</summary>
    [GeneratedRegex(@"\[(ci[ _-]skip|skip[ _-]ci)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SkipCi();

    /// <summary>The commit's message, author (<c>Name &lt;email&gt;</c>) and author date.</summary>
    internal readonly record struct CommitInfo(string Message, string Author, DateTimeOffset? Timestamp)
    {
        public static async Task<CommitInfo> ReadAsync(string gitDir, string sha)
        {
            var text = await GitCommand.RunAsync(gitDir, "log", "-1", "--format=%an <%ae>%x00%aI%x00%B", sha) ?? "";
            var parts = text.Split('\0', 3);
            var timestamp = parts.Length > 1 && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : (DateTimeOffset?)null;
            return new(parts.Length > 2 ? parts[2].TrimEnd('\n') : "", parts[0], timestamp);
        }
    }
}
