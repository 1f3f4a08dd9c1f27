using Relais.Engine;
using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Server.Storage.State;

/// <summary>The engine's <see cref="PipelineState"/> and <see cref="JobState"/> to their stored forms and back, field by field.</summary>
internal static class StoredStateMapping
{
    /// <summary>The pipeline's own fields: the plan and the jobs are stored apart.</summary>
    public static StoredPipelineStateV1 ToStored(PipelineState state) => new()
    {
        Version = StoredPipelineState.Version,
        Id = state.Id,
        Status = state.Status.ToGitLab(),
        CreatedAt = state.CreatedAt,
        UpdatedAt = state.UpdatedAt,
        StartedAt = state.StartedAt,
        FinishedAt = state.FinishedAt,
        AutoCanceledBy = state.AutoCanceledBy,
    };

    /// <summary>A state from its pipeline fields, joined with its <paramref name="plan"/> and its <paramref name="jobs"/>.</summary>
    public static PipelineState FromStored(StoredPipelineStateV1 stored, PipelinePlan plan, IEnumerable<JobState> jobs) => new()
    {
        Id = stored.Id,
        Plan = plan,
        Status = Status(stored.Status),
        CreatedAt = stored.CreatedAt,
        UpdatedAt = stored.UpdatedAt,
        StartedAt = stored.StartedAt,
        FinishedAt = stored.FinishedAt,
        AutoCanceledBy = stored.AutoCanceledBy,
        Jobs = [.. jobs],
    };

    public static StoredJobStateV1 ToStored(JobState job) => new()
    {
        Version = StoredPipelineState.Version,
        Name = job.Name,
        Attempt = job.Attempt,
        Status = job.Status.ToGitLab(),
        Retried = job.Retried,
        AllowFailure = job.AllowFailure,
        CreatedAt = job.CreatedAt,
        QueuedAt = job.QueuedAt,
        StartedAt = job.StartedAt,
        FinishedAt = job.FinishedAt,
        ScheduledAt = job.ScheduledAt,
        DeadlineAt = job.DeadlineAt,
        FailureReason = job.FailureReason,
        ExitCode = job.ExitCode,
        EnqueueImmediately = job.EnqueueImmediately,
        AutoCanceledBy = job.AutoCanceledBy,
    };

    public static JobState FromStored(StoredJobStateV1 job) => new()
    {
        Name = job.Name,
        Attempt = job.Attempt,
        Status = Status(job.Status),
        Retried = job.Retried,
        AllowFailure = job.AllowFailure,
        CreatedAt = job.CreatedAt,
        QueuedAt = job.QueuedAt,
        StartedAt = job.StartedAt,
        FinishedAt = job.FinishedAt,
        ScheduledAt = job.ScheduledAt,
        DeadlineAt = job.DeadlineAt,
        FailureReason = job.FailureReason,
        ExitCode = job.ExitCode,
        EnqueueImmediately = job.EnqueueImmediately,
        AutoCanceledBy = job.AutoCanceledBy,
    };

    private static CiStatus Status(string status) =>
        CiStatusNames.TryParse(status, out var s) ? s : throw new System.Text.Json.JsonException($"unknown stored status `{status}`");
}
