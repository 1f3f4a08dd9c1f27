namespace Relais.Server.Storage;

/// <summary>
/// Pipeline trigger tokens (<see cref="PipelineTriggerRecord"/>), each of one project. Every method may be called
/// concurrently; each call is its own transaction.
/// </summary>
public interface ITriggerStore
{
    /// <summary>Stores a new trigger (its id and times are filled in) and returns it.</summary>
    Task<PipelineTriggerRecord> AddTriggerAsync(PipelineTriggerRecord trigger, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The project's triggers, oldest first.</summary>
    Task<IReadOnlyList<PipelineTriggerRecord>> ListTriggersAsync(long projectId, CancellationToken cancel = default);

    /// <summary>The trigger <paramref name="id"/> of the project, or null.</summary>
    Task<PipelineTriggerRecord?> GetTriggerAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>The trigger of the project whose token has this hash, or null.</summary>
    Task<PipelineTriggerRecord?> FindTriggerAsync(long projectId, string tokenHash, CancellationToken cancel = default);

    /// <summary>Changes the description; false when the trigger does not exist.</summary>
    Task<bool> DescribeTriggerAsync(long projectId, long id, string description, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Deletes (revokes) the trigger; false when it did not exist.</summary>
    Task<bool> DeleteTriggerAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>Records that the trigger was just used (<c>last_used</c>).</summary>
    Task TouchTriggerAsync(long id, DateTimeOffset now, CancellationToken cancel = default);
}
