using Relais.Dispatch;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// A job with <c>environment:</c> that a runner is about to get, with what the deploy checks read about it loaded once:
/// its pipeline, its resolved environment, and its deployment when a check asks (made now if the background pass has
/// not reached the job yet).
/// </summary>
public sealed class DeployCandidate(JobRecord job, PipelineRecord pipeline, ResolvedEnvironment environment, IDeploymentStore deployments, DeploymentSync sync)
{
    private DeploymentRecord? _deployment;
    private bool _looked;

    public JobRecord Job => job;

    public PipelineRecord Pipeline => pipeline;

    public ResolvedEnvironment Environment => environment;

    /// <summary>The job's deployment, or null when it makes none.</summary>
    public async Task<DeploymentRecord?> DeploymentAsync(CancellationToken cancel)
    {
        if (!_looked)
        {
            _deployment = await deployments.FindByJobAsync(job.Id, cancel);
            if (_deployment is null)
            {
                await sync.SyncAsync(job.PipelineId, cancel); // the background pass has not reached this job yet
                _deployment = await deployments.FindByJobAsync(job.Id, cancel);
            }

            _looked = true;
        }

        return _deployment;
    }
}

/// <summary>What a deploy check says: hand the job out, hold it back (left pending), or fail it with a reason.</summary>
public readonly record struct DeployVerdict(bool HandOut, string? FailureReason)
{
    public static DeployVerdict Pass => new(true, null);

    public static DeployVerdict Hold => new(false, null);

    public static DeployVerdict Fail(string reason) => new(false, reason);
}
