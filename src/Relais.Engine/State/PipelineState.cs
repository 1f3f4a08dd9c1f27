using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// The whole state of one pipeline: its plan, its status and every job attempt. Immutable: the engine returns a
/// new one for each event (<see cref="PipelineEngine.Apply"/>). The server stores it (one row for the pipeline,
/// one per job attempt) and rebuilds it with an object initializer; <c>relais run</c> keeps it in memory.
/// </summary>
public sealed record PipelineState
{
    /// <summary>The pipeline's id; also orders pipelines for resource groups (lower is older).</summary>
    public required long Id { get; init; }

    /// <summary>The compiled plan this pipeline runs.</summary>
    public required PipelinePlan Plan { get; init; }

    /// <summary>The pipeline's status: the composite of its current jobs (GitLab's rules).</summary>
    public CiStatus Status { get; init; } = CiStatus.Created;

    /// <summary>When the pipeline was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The time of the last event applied; the engine never lets time go backwards.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When a job of the pipeline first started running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the pipeline reached a completed status (cleared again if a retry reopens it).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The newer pipeline that auto-canceled this one, if any.</summary>
    public long? AutoCanceledBy { get; init; }

    /// <summary>Every job attempt, retried ones included, in plan order and then by attempt.</summary>
    public ImmutableArray<JobState> Jobs { get; init; } = [];

    /// <summary>The latest attempt of every job (what the pipeline's status is computed from).</summary>
    public IEnumerable<JobState> CurrentJobs => Jobs.Where(j => !j.Retried);

    /// <summary>The latest attempt of the named job, or null if the plan has no such job.</summary>
    public JobState? Job(string name)
    {
        JobState? found = null;
        foreach (var job in Jobs)
        {
            if (!job.Retried && string.Equals(job.Name, name, StringComparison.Ordinal))
            {
                found = job;
            }
        }

        return found;
    }

    /// <summary>Every attempt of the named job, oldest first.</summary>
    public IEnumerable<JobState> Attempts(string name) =>
        Jobs.Where(j => string.Equals(j.Name, name, StringComparison.Ordinal)).OrderBy(j => j.Attempt);

    /// <summary>True when the pipeline succeeded but some job failed with <c>allow_failure</c>: "passed with warnings".</summary>
    public bool HasWarnings => CurrentJobs.Any(j => j.HasWarning);

    /// <summary>The composite status of one stage's current jobs, or null when the stage has no jobs.</summary>
    public CiStatus? StageStatus(string stage)
    {
        var stageJobs = CurrentJobs.Where(j => string.Equals(Plan.Job(j.Name)?.Stage, stage, StringComparison.Ordinal));
        return CompositeStatus.Of(stageJobs, dag: false);
    }

    /// <summary>
    /// The earliest future time at which the engine needs a <see cref="TimePassed"/> event: a delayed job
    /// falling due, or a running job's watchdog deadline. Null when nothing waits on time.
    /// </summary>
    public DateTimeOffset? NextWakeUpAt
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var job in CurrentJobs)
            {
                var at = job.Status switch
                {
                    CiStatus.Scheduled => job.ScheduledAt,
                    CiStatus.Running or CiStatus.Canceling => job.DeadlineAt,
                    _ => null,
                };
                if (at is { } t && (next is null || t < next))
                {
                    next = t;
                }
            }

            return next;
        }
    }
}
