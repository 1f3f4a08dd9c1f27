using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>
/// A check a pending job passes before <see cref="JobQueue"/> hands it to a runner; one that fails it has dropped the job
/// itself, one that holds it back (a deployment waiting for approvals) leaves it pending for a later request.
/// </summary>
public interface IHandOutCheck
{
    /// <summary>True when the job is not handed out now: dropped (failed), or held back.</summary>
    Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel);
}
