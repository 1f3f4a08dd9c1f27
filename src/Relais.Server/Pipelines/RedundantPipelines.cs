using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// GitLab's "auto-cancel redundant pipelines": when a push makes a new pipeline for a branch, the older pipelines of
/// that branch that are still going are asked to step aside. Each older pipeline decides by its own
/// <c>workflow:auto_cancel:on_new_commit</c> (the engine's <see cref="AutoCancelRequested"/>): by default it is
/// canceled only if none of its non-interruptible jobs has started.
/// </summary>
public sealed class RedundantPipelines(IPipelineStore store, PipelineDriver driver, TimeProvider time)
{
    private static readonly CiStatus[] GoingStatuses =
        [CiStatus.Created, CiStatus.WaitingForResource, CiStatus.Preparing, CiStatus.Pending, CiStatus.Running, CiStatus.Scheduled];

    /// <summary>Asks every older pipeline of <paramref name="branch"/> that is still going to auto-cancel; returns the ids that were canceled (wholly or in part).</summary>
    public async Task<IReadOnlyList<long>> AutoCancelOlderAsync(long projectId, string branch, long newerPipelineId)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var older = await store.ListPipelinesAsync(projectId, new ListQuery(GoingStatuses, 0, 100) { Ref = branch });
        var canceled = new List<long>();
        foreach (var pipeline in older.Items.Where(p => p.Id < newerPipelineId))
        {
            if (await driver.ApplyAsync(pipeline.Id, new AutoCancelRequested(time.GetUtcNow(), newerPipelineId)) is not null)
            {
                canceled.Add(pipeline.Id);
            }
        }

        return canceled;
    }
}
