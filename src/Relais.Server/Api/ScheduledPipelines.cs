using Relais.Pipelines.Context;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>How running a schedule once went.</summary>
internal enum ScheduleOutcome
{
    /// <summary>A pipeline was created (<see cref="ScheduleRun.PipelineId"/>).</summary>
    Created,

    /// <summary><c>workflow:rules</c> created no pipeline.</summary>
    FilteredOut,

    /// <summary>The ref does not exist or has no CI configuration.</summary>
    NoRef,

    /// <summary>The owner is blocked, gone or no longer a Developer of the project: the schedule was deactivated.</summary>
    OwnerNotAllowed,
}

/// <summary>The outcome of one run of a schedule and, when created, its pipeline.</summary>
internal sealed record ScheduleRun(ScheduleOutcome Outcome, long PipelineId = 0);

/// <summary>
/// Runs a pipeline schedule once, for <c>play</c> and for the scheduler: a pipeline for its ref with source
/// <c>schedule</c>, its variables (with the precedence of pipeline variables) and its owner as the user. A schedule
/// whose owner may no longer run pipelines in the project is deactivated instead, as GitLab does.
/// </summary>
internal sealed class ScheduledPipelines(IScheduleStore schedules, IProjectStore projects, PipelineOwners owners, RefPipelineRunner runner, TimeProvider time)
{
    public async Task<ScheduleRun> RunAsync(PipelineScheduleRecord schedule, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var project = await projects.GetProjectAsync(schedule.ProjectId, cancel);
        var owner = project is null ? null : await owners.AllowedAsync(schedule.OwnerId, project, cancel);
        if (project is null || owner is null)
        {
            await schedules.DeactivateScheduleAsync(schedule.Id, time.GetUtcNow(), CancellationToken.None);
            return new ScheduleRun(ScheduleOutcome.OwnerNotAllowed);
        }

        var variables = (await schedules.ListScheduleVariablesAsync(schedule.Id, cancel))
            .Select(v => new ContextVariable(v.Key, v.Value, File: v.VariableType == "file"))
            .ToList();
        var created = await runner.RunAsync(project, schedule.Ref, PipelineSource.Schedule, owner, variables, cancel);
        if (created is null)
        {
            return new ScheduleRun(ScheduleOutcome.NoRef);
        }

        if (!created.Created)
        {
            return new ScheduleRun(ScheduleOutcome.FilteredOut);
        }

        await schedules.AddScheduleRunAsync(schedule.Id, created.Id, CancellationToken.None);
        return new ScheduleRun(ScheduleOutcome.Created, created.Id);
    }
}
