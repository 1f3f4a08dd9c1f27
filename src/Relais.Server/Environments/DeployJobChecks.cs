using Relais.Dispatch;
using Relais.Driver;
using Relais.Engine;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// The queue's check of a job before a runner gets it: a job without <c>environment:</c> passes at once; for one with it,
/// the pipeline is read and the environment resolved once, then protected environments decide, then outdated
/// deployments; a failing verdict fails the job here with its reason.
/// </summary>
public sealed class DeployJobChecks(
    AggregateStores stores, DeploymentSync sync, ProtectedEnvironmentCheck protectedEnvironments, OutdatedDeploymentCheck outdated, PipelineDriver driver, TimeProvider time) : IHandOutCheck
{
    public async Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (await stores.Pipelines.GetPipelineStateAsync(job.PipelineId, cancel) is not { State: { } state } snapshot
            || state.Plan.Job(job.Name) is not { Environment: not null } plan
            || JobEnvironments.Resolve(plan, sync.Context(snapshot.Row)) is not { } resolved)
        {
            return false;
        }

        var candidate = new DeployCandidate(job, snapshot.Row, resolved, stores.Deployments, sync);
        var verdict = await protectedEnvironments.CheckAsync(candidate, cancel);
        if (verdict.HandOut)
        {
            verdict = await outdated.CheckAsync(candidate, cancel);
        }

        if (verdict.FailureReason is { } reason)
        {
            await driver.ApplyAsync(job.PipelineId, JobFinished.Failure(time.GetUtcNow(), job.Name, job.Attempt, reason));
        }

        return !verdict.HandOut;
    }
}
