using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// The coordinator's pipeline scheduler: every <see cref="ServerOptions.ScheduleInterval"/> (and once at start) it runs
/// the active schedules that are due (<see cref="RunDueAsync"/>). Each due run is claimed with a conditional UPDATE of
/// the schedule's <c>next_run_at</c> (<see cref="IScheduleStore.ClaimScheduleRunAsync"/>), so when several coordinators
/// share the database exactly one of them creates the pipeline. Runs missed while no coordinator ran are not caught up:
/// an overdue schedule runs once, then at its next occurrence after now, as in GitLab. Driven by the server's
/// <see cref="TimeProvider"/>; a pass that fails (database down) is logged and tried again at the next tick.
/// </summary>
internal sealed class PipelineScheduler(IScheduleStore store, ScheduledPipelines runs, TimeProvider time, TextWriter log, TimeSpan interval)
{
    /// <summary>How many due schedules one pass takes at most (the rest wait for the next pass).</summary>
    private const int Batch = 100;

    private Task _loop = Task.CompletedTask;

    /// <summary>Starts the loop, which ends when <paramref name="stopping"/> fires (the server stops).</summary>
    public void Start(CancellationToken stopping) =>
        _loop = Reliability.PeriodicPass.RunAsync("the pipeline scheduler", c => RunDueAsync(c), interval, time, log, stopping);

    /// <summary>The loop (ended once the server stopped).</summary>
    public Task Loop => _loop;

    /// <summary>Runs every schedule due now whose run this coordinator claims; returns how many pipelines it created.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancel = default)
    {
        var now = time.GetUtcNow();
        var created = 0;
        foreach (var schedule in await store.ListDueSchedulesAsync(now, Batch, cancel))
        {
            var (cron, _) = ScheduleCron.Parse(schedule.Cron, schedule.CronTimezone);
            if (cron is null)
            {
                await store.DeactivateScheduleAsync(schedule.Id, now, cancel); // stored before validation existed, or the zone left the system
                continue;
            }

            var next = cron.NextAfter(now) is { } at ? SqlKeyStore.StoredTime(at) : null;
            if (!await store.ClaimScheduleRunAsync(schedule.Id, schedule.NextRunAt!, next, now, cancel))
            {
                continue; // another coordinator took this run
            }

            var run = await runs.RunAsync(schedule, CancellationToken.None);
            created += run.Outcome == ScheduleOutcome.Created ? 1 : 0;
        }

        return created;
    }
}
