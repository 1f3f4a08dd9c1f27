namespace Relais.Server.Storage;

/// <summary>
/// Commit statuses (table <c>commit_statuses</c>), kept apart from the engine's jobs. Every method may be called
/// concurrently; each call is its own transaction.
/// </summary>
public interface ICommitStatusStore
{
    /// <summary>Inserts a status (its id ignored) and returns it with its id.</summary>
    Task<CommitStatusRecord> AddAsync(CommitStatusRecord status, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>
    /// Writes a status's new state and fields, if it is still in <paramref name="expectedStatus"/> (a concurrent report
    /// that moved it first wins); false otherwise.
    /// </summary>
    Task<bool> UpdateAsync(CommitStatusRecord status, string expectedStatus, CancellationToken cancel = default);

    /// <summary>A commit's statuses in the project, oldest first.</summary>
    Task<IReadOnlyList<CommitStatusRecord>> ListForShaAsync(long projectId, string sha, CancellationToken cancel = default);

    /// <summary>The statuses shown in a pipeline, oldest first.</summary>
    Task<IReadOnlyList<CommitStatusRecord>> ListForPipelineAsync(long pipelineId, CancellationToken cancel = default);
}
