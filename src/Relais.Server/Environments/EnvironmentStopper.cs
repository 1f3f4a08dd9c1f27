using Relais.Protocol;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Stops environments as GitLab does, whether a person or the API asks, its branch is deleted, or its
/// <c>auto_stop_in</c> has passed: the <c>on_stop</c> job of its last deployment is played (or retried when it already
/// ran) and the environment is <c>stopping</c> until that job finishes (the deployments lifecycle moves it on from the
/// job's status); without such a job it is <c>stopped</c> at once, and so it is when forced. Every move starts from
/// <c>available</c> with a conditional update, so two coordinators never stop the same environment twice.
/// </summary>
public sealed class EnvironmentStopper(AggregateStores stores, UserActions actions, TimeProvider time)
{
    public async Task<EnvironmentStopOutcome> StopAsync(EnvironmentRecord environment, long? userId, bool force, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.State == EnvironmentStates.Stopped)
        {
            return new EnvironmentStopOutcome(true, null);
        }

        if (force)
        {
            await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, time.GetUtcNow(), cancel: cancel);
            return new EnvironmentStopOutcome(true, null);
        }

        if (environment.State == EnvironmentStates.Stopping)
        {
            return new EnvironmentStopOutcome(false, null, "The environment is already stopping.");
        }

        var stopJob = await StopJobAsync(environment, cancel);
        if (stopJob is null)
        {
            await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, time.GetUtcNow(), from: EnvironmentStates.Available, cancel: cancel);
            return new EnvironmentStopOutcome(true, null);
        }

        if (!await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopping, time.GetUtcNow(), from: EnvironmentStates.Available, cancel: cancel))
        {
            return new EnvironmentStopOutcome(false, null, "The environment is already stopping."); // another caller (or coordinator) got there first
        }

        var running = await RunAsync(stopJob, cancel);
        if (running is null)
        {
            // The stop job can neither be played nor retried (its pipeline has no engine state): stop without it, as GitLab's fallback does.
            await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, time.GetUtcNow(), cancel: cancel);
            return new EnvironmentStopOutcome(true, null);
        }

        return new EnvironmentStopOutcome(false, running.Id);
    }

    /// <summary>
    /// Stops the project's available environments whose last deployment came from <paramref name="branch"/> (GitLab does
    /// this when a branch is deleted, so review apps go away with their branch); answers how many it stopped or started stopping.
    /// </summary>
    public async Task<int> StopForBranchAsync(long projectId, string branch, long? userId, CancellationToken cancel)
    {
        var stopped = 0;
        foreach (var environment in await stores.Environments.ListAsync(projectId, new EnvironmentFilter(State: EnvironmentStates.Available), cancel))
        {
            if (await stores.Deployments.LastAsync(environment.Id, cancel: cancel) is { Tag: false } last && last.Ref == branch
                && (await StopAsync(environment, userId, force: false, cancel)).Error is null)
            {
                stopped++;
            }
        }

        return stopped;
    }

    /// <summary>
    /// The <c>on_stop</c> job of the environment's last deployment: the job named by the deploy job's <c>on_stop</c> in
    /// the same pipeline (its latest attempt); the last successful deployment counts, else the last one.
    /// </summary>
    private async Task<JobRecord?> StopJobAsync(EnvironmentRecord environment, CancellationToken cancel)
    {
        var deployment = await stores.Deployments.LastAsync(environment.Id, DeploymentStatuses.Success, cancel)
            ?? await stores.Deployments.LastAsync(environment.Id, cancel: cancel);
        if (deployment?.JobId is not { } jobId || await stores.Pipelines.GetJobAsync(jobId, cancel) is not { } deployJob)
        {
            return null;
        }

        var state = (await stores.Pipelines.GetPipelineStateAsync(deployJob.PipelineId, cancel))?.State;
        if (state?.Plan.Job(deployJob.Name)?.Environment?.OnStop is not { } onStop || state.Plan.Job(onStop) is null)
        {
            return null;
        }

        return (await stores.Pipelines.JobsOfPipelineAsync(deployJob.PipelineId, cancel))
            .Where(j => j.Name == onStop).MaxBy(j => j.Attempt);
    }

    /// <summary>Plays the stop job when it waits for a person, retries it when it already finished; null when neither was accepted.</summary>
    private async Task<JobRecord?> RunAsync(JobRecord stopJob, CancellationToken cancel)
    {
        if (stopJob.Status is CiStatus.Pending or CiStatus.Running or CiStatus.Created or CiStatus.WaitingForResource or CiStatus.Preparing)
        {
            return stopJob; // already on its way
        }

        var action = stopJob.Status is CiStatus.Manual or CiStatus.Scheduled ? JobAction.Play : JobAction.Retry;
        var (accepted, shown) = await actions.OnJobAsync(stopJob, action, cancel);
        return accepted ? shown : null;
    }
}
