using System.Collections.Immutable;

namespace Relais.Engine;

/// <summary>How a resource group picks the next job when its resource is free (GitLab's <c>process_mode</c>).</summary>
public enum ResourceProcessMode
{
    /// <summary>Any ready job, first come first served (GitLab's default).</summary>
    Unordered,

    /// <summary>Jobs of the oldest pipeline first; a job of an older pipeline that is not ready yet holds the newer ones back.</summary>
    OldestFirst,

    /// <summary>Jobs of the newest pipeline first; a job of a newer pipeline that is not ready yet holds the older ones back.</summary>
    NewestFirst,

    /// <summary>Of the ready jobs, those of the newest pipeline first.</summary>
    NewestReadyFirst,
}

/// <summary>One job attempt of one pipeline, as a resource group knows it.</summary>
public readonly record struct ResourceClaimant(long PipelineId, string Job, int Attempt);

/// <summary>A job attempt that will want, or already wants, the resource.</summary>
/// <param name="Ready">False while the job is only upcoming (created or scheduled); true once it waits for the resource.</param>
/// <param name="Sequence">Arrival order, for unordered groups and ties.</param>
public sealed record ResourceClaim(ResourceClaimant Claimant, bool Ready, long Sequence);

/// <summary>
/// One resource group (one resource, so one job at a time across all pipelines of the project). Immutable;
/// <see cref="ResourceGroupMachine.Apply"/> returns the next state and the grants it made.
/// </summary>
public sealed record ResourceGroupState
{
    /// <summary>The group's key as written in <c>resource_group</c> (after variable expansion).</summary>
    public required string Key { get; init; }

    /// <summary>How the next job is picked.</summary>
    public ResourceProcessMode Mode { get; init; } = ResourceProcessMode.Unordered;

    /// <summary>The attempt that holds the resource, if any.</summary>
    public ResourceClaimant? Holder { get; init; }

    /// <summary>The attempts that will want or want the resource, in arrival order.</summary>
    public ImmutableList<ResourceClaim> Claims { get; init; } = [];

    /// <summary>The next arrival number.</summary>
    public long NextSequence { get; init; }
}

/// <summary>The result of one step of a resource group: its new state and the attempts that got the resource.</summary>
/// <param name="Granted">Send each a <see cref="ResourceGranted"/> event, to its pipeline.</param>
public sealed record ResourceGroupStep(ResourceGroupState State, ImmutableArray<ResourceClaimant> Granted);

/// <summary>Something that happened to a resource group.</summary>
public abstract record ResourceGroupEvent
{
    /// <summary>Turn a pipeline's <see cref="ResourceEffect"/> into the group's event.</summary>
    public static ResourceGroupEvent From(long pipelineId, ResourceEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var claimant = new ResourceClaimant(pipelineId, effect.Job, effect.Attempt);
        return effect switch
        {
            ResourceUpcoming => new ResourceClaimUpcoming(claimant),
            RequestResource => new ResourceClaimReady(claimant),
            _ => new ResourceClaimReleased(claimant),
        };
    }
}

/// <summary>An attempt will want the resource later (see <see cref="ResourceUpcoming"/>).</summary>
public sealed record ResourceClaimUpcoming(ResourceClaimant Claimant) : ResourceGroupEvent;

/// <summary>An attempt waits for the resource now (see <see cref="RequestResource"/>).</summary>
public sealed record ResourceClaimReady(ResourceClaimant Claimant) : ResourceGroupEvent;

/// <summary>An attempt gives the resource back or stops wanting it (see <see cref="ReleaseResource"/>).</summary>
public sealed record ResourceClaimReleased(ResourceClaimant Claimant) : ResourceGroupEvent;

/// <summary>The group's process mode was changed (through the API).</summary>
public sealed record ResourceProcessModeChanged(ResourceProcessMode Mode) : ResourceGroupEvent;
