using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Artifacts;

/// <summary>
/// Which job's artifacts <c>GET /projects/:id/jobs/artifacts/:ref_name/download?job=NAME</c> means, as GitLab finds it:
/// the latest successful pipeline of the ref (the newest created), and in it the current attempt of the job of that
/// name that has an archive. With <c>search_recent_successful_pipelines</c>, a job missing from that pipeline (a job
/// that runs only on some pipelines) is looked for in the ref's earlier successful pipelines, newest first, among the
/// last <see cref="RecentPipelines"/>.
/// </summary>
internal sealed class RefArtifactJobs(IPipelineStore pipelineStore, IArtifactStore artifactStore)
{
    /// <summary>How many of a ref's successful pipelines the search goes through.</summary>
    public const int RecentPipelines = 100;

    public async Task<JobRecord?> FindAsync(ProjectRecord project, string gitRef, string jobName, bool searchRecent, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        var query = new ListQuery([CiStatus.Success], 0, searchRecent ? RecentPipelines : 1) { Ref = gitRef };
        foreach (var pipeline in (await pipelineStore.ListPipelinesAsync(project.Id, query, cancel)).Items)
        {
            if ((await pipelineStore.CurrentJobsAsync(pipeline.Id, cancel)).FirstOrDefault(j => j.Name == jobName) is { } job
                && (!searchRecent || job.Status == CiStatus.Success)
                && await artifactStore.FindArtifactAsync(job.Id, "archive", cancel) is not null)
            {
                return job;
            }
        }

        return null;
    }
}
