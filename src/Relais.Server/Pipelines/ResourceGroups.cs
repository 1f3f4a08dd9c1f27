using Relais.Engine;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// <c>resource_group</c> across pipelines: one job at a time per (project, group), the others granted in the order
/// they asked (GitLab's <c>oldest_first</c>). The holder and the queue live in the database
/// (<see cref="IPipelineStore.RequestResourceAsync"/>), so they survive a restart and are shared by every coordinator on
/// the same database; <c>Reliability.StateSweeper</c> repairs a grant or release a crash cut short.
/// </summary>
public sealed class ResourceGroups(IPipelineStore store)
{
    /// <summary>Records the request; returns the job to grant now, if the group was free.</summary>
    public async Task<(long Pipeline, string Job, int Attempt)?> RequestAsync(long project, long pipeline, RequestResource request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claim = new GroupClaim(pipeline, request.Job, request.Attempt);
        return await store.RequestResourceAsync(project, request.Group, claim) ? (pipeline, request.Job, request.Attempt) : null;
    }

    /// <summary>Frees the group if this job held it; returns the next job to grant, if one waits.</summary>
    public async Task<(long Pipeline, string Job, int Attempt)?> ReleaseAsync(long project, long pipeline, ReleaseResource release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var next = await store.ReleaseResourceAsync(project, release.Group, new GroupClaim(pipeline, release.Job, release.Attempt));
        return next is null ? null : (next.PipelineId, next.Job, next.Attempt);
    }
}
