namespace Relais.Server.Storage;

/// <summary>Registered runners (by their token's hash) and the jobs they hold. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IRunnerStore
{
    Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>
    /// Creates a runner of any type from <paramref name="runner"/> (its id is ignored); a project runner is enabled in
    /// <paramref name="projectId"/>, its owner project.
    /// </summary>
    Task<RunnerRecord> CreateRunnerAsync(string tokenHash, RunnerRecord runner, long? projectId, DateTimeOffset now, CancellationToken cancel = default);

    Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default);

    Task<RunnerRecord?> GetRunnerAsync(long id, CancellationToken cancel = default);

    Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>Deletes a runner by id (and where it is enabled); false when there is none.</summary>
    Task<bool> DeleteRunnerAsync(long id, CancellationToken cancel = default);

    /// <summary>Saves the editable fields: description, tags, run_untagged, paused, locked, access_level, maximum_timeout.</summary>
    Task<bool> UpdateRunnerAsync(RunnerRecord runner, CancellationToken cancel = default);

    /// <summary>Records that the runner called in at <paramref name="at"/>; written at most once a minute per runner.</summary>
    Task TouchRunnerAsync(long runnerId, DateTimeOffset at, CancellationToken cancel = default);

    Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default);

    /// <summary>The projects a project runner is enabled in, its owner (the first) first.</summary>
    Task<IReadOnlyList<long>> RunnerProjectsAsync(long runnerId, CancellationToken cancel = default);

    /// <summary>Every (runner, project) pair where a project runner is enabled.</summary>
    Task<IReadOnlyList<(long RunnerId, long ProjectId)>> RunnerProjectLinksAsync(CancellationToken cancel = default);

    /// <summary>Enables a project runner in one more project; false when it already is.</summary>
    Task<bool> EnableRunnerAsync(long runnerId, long projectId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Disables a project runner in a project; false when it was not enabled there.</summary>
    Task<bool> DisableRunnerAsync(long runnerId, long projectId, CancellationToken cancel = default);

    /// <summary>A CI setting by name (<c>ci_settings</c>), or null when unset.</summary>
    Task<string?> GetSettingAsync(string name, CancellationToken cancel = default);

    /// <summary>Sets the CI setting <paramref name="name"/> to <paramref name="value"/> unless it is set; answers the value it has now.</summary>
    Task<string> EnsureSettingAsync(string name, string value, CancellationToken cancel = default);

    /// <summary>The jobs a runner ran or runs, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> RunnerJobsAsync(long runnerId, CancellationToken cancel = default);

    /// <summary>Every running or canceling job that a runner holds.</summary>
    Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync(CancellationToken cancel = default);
}
