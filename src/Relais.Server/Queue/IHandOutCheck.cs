using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>A check a pending job passes before <see cref="JobQueue"/> hands it to a runner; one that fails it has dropped the job itself.</summary>
public interface IHandOutCheck
{
    /// <summary>True when the job was dropped (failed) instead of handed out.</summary>
    Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel);
}
