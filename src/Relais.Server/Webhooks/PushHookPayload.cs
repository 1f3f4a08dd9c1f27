using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// The <c>Push Hook</c> and <c>Tag Push Hook</c> payloads (<c>object_kind</c> <c>push</c> or <c>tag_push</c>): one per
/// ref update, with <c>before</c>, <c>after</c>, <c>ref</c>, <c>checkout_sha</c>, the pusher (<c>user_*</c>),
/// <c>project</c>, <c>repository</c>, <c>commits[]</c> (the newest 20 the push brought, oldest first; <c>added</c>,
/// <c>modified</c>, <c>removed</c> are left empty), <c>total_commits_count</c> and <c>push_options</c> (the push's
/// <c>git push -o</c> options in GitLab's shape, <see cref="PushOptions.ToJson"/>; <c>{}</c> without any).
/// </summary>
internal static class PushHookPayload
{
    /// <summary>How many commits a payload lists at most (GitLab: 20).</summary>
    public const int MaxCommits = 20;

    public static async Task<Dictionary<string, object?>> BuildAsync(
        GitRepository git, ProjectRecord project, RefUpdate update, PipelineUser? user, bool refProtected, CloneUrls urls, CancellationToken cancel, PushOptions? options = null)
    {
        var tag = update.IsTag;
        var (commits, total) = update.IsDelete ? ([], 0) : await CommitsAsync(git, project, update, cancel);
        return new()
        {
            ["object_kind"] = tag ? "tag_push" : "push",
            ["event_name"] = tag ? "tag_push" : "push",
            ["before"] = update.OldSha,
            ["after"] = update.NewSha,
            ["ref"] = update.Ref,
            ["ref_protected"] = refProtected,
            ["checkout_sha"] = update.IsDelete ? null : update.NewSha,
            ["message"] = null,
            ["user_id"] = user?.Id,
            ["user_name"] = user?.Name,
            ["user_username"] = user?.Login,
            ["user_email"] = user?.Email,
            ["user_avatar"] = null,
            ["project_id"] = project.Id,
            ["project"] = HookObjects.Project(project, urls),
            ["commits"] = commits.Select(c => Commit(c, project, urls)).ToList(),
            ["total_commits_count"] = total,
            ["push_options"] = (options ?? PushOptions.None).ToJson(),
            ["repository"] = HookObjects.Repository(project, urls),
        };
    }

    private static Dictionary<string, object?> Commit(CommitDetails c, ProjectRecord project, CloneUrls urls)
    {
        var commit = HookObjects.Commit(c.Sha, c.Message, c.AuthoredAt, c.AuthorName, c.AuthorEmail, project, urls);
        commit["added"] = Array.Empty<string>();
        commit["modified"] = Array.Empty<string>();
        commit["removed"] = Array.Empty<string>();
        return commit;
    }

    /// <summary>
    /// The commits a ref update brought: <c>before..after</c>, or for a new ref those not on the default branch
    /// (all of them when it is the default branch itself); the newest <see cref="MaxCommits"/>, oldest first, and the count.
    /// </summary>
    private static async Task<(IReadOnlyList<CommitDetails> Commits, int Total)> CommitsAsync(GitRepository git, ProjectRecord project, RefUpdate update, CancellationToken cancel)
    {
        var range = !update.IsCreate ? $"{update.OldSha}..{update.NewSha}"
            : update.IsBranch && update.ShortName != project.DefaultBranch && await git.ResolveCommitAsync(RepositoryRefs.Branches + project.DefaultBranch, cancel) is { } main
                ? $"{main}..{update.NewSha}"
                : update.NewSha;
        var count = await git.RunAsync(["rev-list", "--count", "--end-of-options", range, "--"], cancel);
        var total = count.Succeeded && int.TryParse(count.Text.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        var commits = await git.LogAsync(range, 0, MaxCommits, cancel);
        return ([.. commits.Reverse()], total);
    }
}
