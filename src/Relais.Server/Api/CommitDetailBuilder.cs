using Relais.Git;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// One commit in full, as <c>GET /repository/commits/:sha</c> and <c>POST /repository/commits</c> answer: its fields,
/// its line counts against the first parent, and its <c>status</c> and <c>last_pipeline</c> (<see cref="CommitPipelineStatus"/>).
/// </summary>
internal sealed class CommitDetailBuilder(ProjectRepository repository, CommitPipelineStatus statuses)
{
    /// <summary>The commit <paramref name="revision"/> names (a sha, branch or tag), in full; null when there is none.</summary>
    public async Task<CommitDetailView?> BuildAsync(ProjectRecord project, string revision, CancellationToken cancel)
    {
        var git = repository.Open(project);
        if (git is null || await git.ResolveCommitAsync(revision, cancel) is not { } sha
            || await git.ReadCommitsAsync([sha], cancel) is not [var commit, ..])
        {
            return null;
        }

        var diffs = await git.DiffAsync(commit.ParentShas is [var first, ..] ? first : null, commit.Sha, cancel) ?? [];
        var (added, removed) = (diffs.Sum(d => d.Additions), diffs.Sum(d => d.Deletions));
        var (status, lastPipeline) = await statuses.ForCommitAsync(project, commit.Sha, cancel);
        return new CommitDetailView(repository.Commit(project, commit), new CommitStatsView(added, removed, added + removed), status, project.Id, lastPipeline);
    }
}
