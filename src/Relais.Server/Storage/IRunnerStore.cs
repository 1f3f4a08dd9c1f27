namespace Relais.Server.Storage;

/// <summary>Registered runners (by their token's hash) and the jobs they hold. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IRunnerStore
{
    Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default);

    Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default);

    Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>Records that the runner called in at <paramref name="at"/>; written at most once a minute per runner.</summary>
    Task TouchRunnerAsync(long runnerId, DateTimeOffset at, CancellationToken cancel = default);

    Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default);

    /// <summary>Every running or canceling job that a runner holds.</summary>
    Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync(CancellationToken cancel = default);
}
