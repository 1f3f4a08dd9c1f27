using System.Collections.Immutable;
using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// Effects are not written by the transitions: they follow from comparing the state before and after a step.
/// So every path to a status (an event, a processing cascade, a retry) yields the same effects, and an effect
/// can never disagree with the state it comes with.
/// </summary>
internal static class EffectPlanner
{
    private enum Stance
    {
        None,
        Upcoming,
        Waiting,
        Holding,
    }

    public static ImmutableArray<EngineEffect> Diff(PipelineState before, PipelineState after)
    {
        var statuses = ImmutableArray.CreateBuilder<EngineEffect>();
        var resources = ImmutableArray.CreateBuilder<EngineEffect>();
        var queue = ImmutableArray.CreateBuilder<EngineEffect>();
        foreach (var (old, job) in AttemptPairs.Of(before.Jobs, after.Jobs))
        {
            if (old?.Status == job.Status)
            {
                continue;
            }

            statuses.Add(new JobStatusChanged(job.Name, job.Attempt, old?.Status, job.Status));
            if (job.Status == CiStatus.Pending)
            {
                queue.Add(new EnqueueJob(job.Name, job.Attempt));
            }
            else if (old?.Status == CiStatus.Running && job.Status == CiStatus.Canceling)
            {
                queue.Add(new CancelJob(job.Name, job.Attempt, WasRunning: true));
            }
            else if (old?.Status is CiStatus.Pending or CiStatus.Preparing && job.Status == CiStatus.Canceled)
            {
                queue.Add(new CancelJob(job.Name, job.Attempt, WasRunning: false));
            }

            if (after.Plan.Job(job.Name)?.ResourceGroup is { } group
                && ResourceEffectFor(group, job, StanceOf(old), StanceOf(job)) is { } effect)
            {
                resources.Add(effect);
            }
        }

        if (before.Status != after.Status)
        {
            statuses.Add(new PipelineStatusChanged(before.Status, after.Status));
        }

        var effects = statuses.Concat(resources).Concat(queue).ToList();
        if (after.NextWakeUpAt is { } wake && wake != before.NextWakeUpAt)
        {
            effects.Add(new ScheduleWakeUp(wake));
        }

        return [.. effects];
    }

    private static Stance StanceOf(JobState? job) => job?.Status switch
    {
        null => Stance.None,
        CiStatus.Created or CiStatus.Scheduled => Stance.Upcoming,
        CiStatus.WaitingForResource => Stance.Waiting,
        CiStatus.Pending or CiStatus.Preparing or CiStatus.Running or CiStatus.Canceling => Stance.Holding,
        _ => Stance.None,
    };

    private static ResourceEffect? ResourceEffectFor(string group, JobState job, Stance from, Stance to) => (from, to) switch
    {
        (Stance.None, Stance.Upcoming) => new ResourceUpcoming(group, job.Name, job.Attempt),
        (Stance.None or Stance.Upcoming, Stance.Waiting) => new RequestResource(group, job.Name, job.Attempt),
        (not Stance.None, Stance.None) => new ReleaseResource(group, job.Name, job.Attempt),
        _ => null,
    };
}
