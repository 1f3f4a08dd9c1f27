using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Reliability;

/// <summary>
/// Re-arms what a coordinator keeps in memory from what is stored, at start and then now and again (so a second
/// coordinator takes over what a dead one had armed): a timer for every pipeline with a delayed job (and, at start,
/// with a running job's watchdog deadline); a resource-group grant or release a crash cut short (the holder's job still
/// waits for the resource → grant again; the holder's job is done → release it and grant the next).
/// </summary>
public sealed class StateSweeper(IPipelineStore store, PipelineDriver driver, TimeProvider time)
{
    private static readonly CiStatus[] Done = [CiStatus.Success, CiStatus.Failed, CiStatus.Canceled, CiStatus.Skipped, CiStatus.Manual];

    /// <summary>Re-arms timers of pipelines with jobs in <paramref name="statuses"/> and repairs resource groups.</summary>
    public async Task SweepAsync(IReadOnlyCollection<CiStatus> statuses)
    {
        foreach (var pipelineId in await store.PipelinesWithJobsAsync(statuses))
        {
            // The driver arms one timer per wake-up time; one already past fires at once (its timer died with another
            // coordinator, or with this one before a restart).
            if (await store.GetPipelineStateAsync(pipelineId) is { State.NextWakeUpAt: { } at })
            {
                driver.Arm(pipelineId, at);
            }
        }

        foreach (var holder in await store.ResourceHoldersAsync())
        {
            await RepairAsync(holder);
        }
    }

    private async Task RepairAsync(ResourceHolder holder)
    {
        var (pipeline, job, attempt) = (holder.Claim.PipelineId, holder.Claim.Job, holder.Claim.Attempt);
        var status = await store.JobStatusAsync(pipeline, job, attempt);
        if (status == CiStatus.WaitingForResource)
        {
            await driver.ApplyAsync(pipeline, new ResourceGranted(time.GetUtcNow(), job, attempt));
        }
        else if (status is not { } known || Done.Contains(known))
        {
            await driver.ReleaseResourceAsync(pipeline, holder.Group, job, attempt); // grants the group to the next claim
        }
    }
}
