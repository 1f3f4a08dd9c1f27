namespace Relais.Server.Storage;

/// <summary>
/// Which finished environment jobs have had their effect on their environment (a stop job stops it), so a pipeline
/// looked at again (a later change, a restart) does not apply an old job's effect twice (<c>environment_job_effects</c>).
/// </summary>
public interface IEnvironmentJobEffectStore
{
    /// <summary>Records that the effect of <paramref name="jobId"/> finishing in <paramref name="status"/> is applied; false when it already was.</summary>
    Task<bool> TryMarkAsync(long jobId, string status, CancellationToken cancel = default);
}
