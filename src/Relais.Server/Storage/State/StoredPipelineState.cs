namespace Relais.Server.Storage.State;

/// <summary>
/// The stored state of a pipeline, in three kinds of rows: its plan (<see cref="StoredPlanV1"/>, written once), its own
/// fields (<see cref="StoredPipelineStateV1"/>, every event) and one row per job attempt (<see cref="StoredJobStateV1"/>,
/// when it changes). Each carries the <c>version</c> of its layout; a new layout is a new record (V2…) and a migration
/// that rewrites the rows, never a change to a shipped one. Mapped to and from the engine's types by hand
/// (<see cref="StoredStateMapping"/>, <see cref="StoredPlanMapping"/>).
/// </summary>
internal static class StoredPipelineState
{
    /// <summary>The layout the store writes and reads.</summary>
    public const int Version = 1;
}

/// <summary>A pipeline's own fields (<c>pipelines.state_json</c>): status and times, without its plan and its jobs.</summary>
internal sealed record StoredPipelineStateV1
{
    public required int Version { get; init; }

    public long Id { get; init; }

    /// <summary>The status as GitLab names it (<c>waiting_for_resource</c>).</summary>
    public required string Status { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public long? AutoCanceledBy { get; init; }
}

/// <summary>One job attempt (<c>jobs.state_json</c>). False, zero and absent values are left out of the JSON.</summary>
internal sealed record StoredJobStateV1
{
    public required int Version { get; init; }

    public required string Name { get; init; }

    public int Attempt { get; init; }

    /// <summary>The status as GitLab names it.</summary>
    public required string Status { get; init; }

    public bool Retried { get; init; }

    public bool AllowFailure { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public DateTimeOffset? ScheduledAt { get; init; }

    public DateTimeOffset? DeadlineAt { get; init; }

    public string? FailureReason { get; init; }

    public int? ExitCode { get; init; }

    public bool EnqueueImmediately { get; init; }

    public long? AutoCanceledBy { get; init; }
}
