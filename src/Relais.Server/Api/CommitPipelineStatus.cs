using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A commit's <c>status</c> and <c>last_pipeline</c> (<c>GET /repository/commits/:sha</c>): the newest pipeline of
/// the commit, and the composite status (<see cref="CompositeStatus"/>) of that pipeline together with the latest
/// commit status of each name shown in it, or, when the commit has no pipeline, of its latest commit statuses alone.
/// </summary>
internal sealed class CommitPipelineStatus(IPipelineStore pipelines, ICommitStatusStore statuses, string externalUrl)
{
    public async Task<(string? Status, PipelineView? LastPipeline)> ForCommitAsync(ProjectRecord project, string sha, CancellationToken cancel)
    {
        var newest = (await pipelines.ListPipelinesAsync(project.Id, new ListQuery([], 0, 1) { Sha = sha }, cancel)).Items is [var first, ..] ? first : null;
        var reported = Latest(await statuses.ListForShaAsync(project.Id, sha, cancel)).Where(s => s.PipelineId == newest?.Id);
        var parts = reported.Select(s => (Parse(s.Status), false)).ToList();
        if (newest is not null)
        {
            parts.Add((newest.Status, false));
        }

        var status = CompositeStatus.Of(parts, dag: false);
        return (status?.ToGitLab(), newest is null ? null : ApiViews.Pipeline(newest, project, externalUrl));
    }

    /// <summary>The newest status of each (ref, name): what GitLab lists unless <c>all</c> is asked for.</summary>
    public static IEnumerable<CommitStatusRecord> Latest(IEnumerable<CommitStatusRecord> statuses) =>
        statuses.GroupBy(s => (s.Ref, s.Name)).Select(g => g.MaxBy(s => s.Id)!).OrderBy(s => s.Id);

    /// <summary>A stored commit status state as the engine's status.</summary>
    public static CiStatus Parse(string state) => CiStatusNames.TryParse(state, out var status) ? status : CiStatus.Created;
}
