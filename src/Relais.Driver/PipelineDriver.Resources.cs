using System.Collections.Immutable;
using Relais.Engine;

namespace Relais.Driver;

/// <summary>
/// Resource groups: a step's <see cref="ResourceEffect"/>s become events of their group's
/// <see cref="ResourceGroupMachine"/> (one load-modify-save per group through <see cref="IResourceGroupStore"/>), and
/// every attempt the group is handed to gets <see cref="ResourceGranted"/>. A grant that finds its job no longer
/// waiting is handed back by the engine (<see cref="ReleaseResource"/>), so the group moves on.
/// </summary>
public sealed partial class PipelineDriver
{
    /// <summary>
    /// Releases a group held by an attempt whose job is over (a repair after a crash cut the release short) and
    /// grants the group to the next claim.
    /// </summary>
    public async Task ReleaseResourceAsync(long pipelineId, string group, string job, int attempt)
    {
        var released = new ResourceClaimReleased(new ResourceClaimant(pipelineId, job, attempt));
        var step = await _groups.UpdateAsync(pipelineId, group, state => Fold(state, [released]));
        await GrantAsync(Holders(step));
    }

    /// <summary>Changes how <paramref name="group"/> (in <paramref name="pipelineId"/>'s scope) picks the next claim, and grants what the new mode allows.</summary>
    public async Task ChangeResourceModeAsync(long pipelineId, string group, ResourceProcessMode mode)
    {
        var changed = new ResourceProcessModeChanged(mode);
        var step = await _groups.UpdateAsync(pipelineId, group, state => Fold(state, [changed]));
        await GrantAsync(Holders(step));
    }

    private async Task<List<ResourceClaimant>?> UpdateGroupsAsync(long pipelineId, EngineStep step)
    {
        List<ResourceClaimant>? grants = null;
        foreach (var (group, events) in ByGroup(pipelineId, step.Effects))
        {
            var result = await _groups.UpdateAsync(pipelineId, group, state => Fold(state, events));
            if (Holders(result) is { } granted)
            {
                (grants ??= []).AddRange(granted);
            }
        }

        return grants;
    }

    private async Task GrantAsync(List<ResourceClaimant>? grants)
    {
        foreach (var claimant in grants ?? [])
        {
            await ApplyAsync(claimant.PipelineId, new ResourceGranted(_time.GetUtcNow(), claimant.Job, claimant.Attempt));
        }
    }

    /// <summary>The step's resource effects as group events, per group, in order.</summary>
    private static List<(string Group, List<ResourceGroupEvent> Events)> ByGroup(long pipelineId, ImmutableArray<EngineEffect> effects)
    {
        var groups = new List<(string Group, List<ResourceGroupEvent> Events)>();
        foreach (var effect in effects)
        {
            if (effect is not ResourceEffect resource)
            {
                continue;
            }

            var index = groups.FindIndex(g => string.Equals(g.Group, resource.Group, StringComparison.Ordinal));
            if (index < 0)
            {
                groups.Add((resource.Group, []));
                index = groups.Count - 1;
            }

            groups[index].Events.Add(ResourceGroupEvent.From(pipelineId, resource));
        }

        return groups;
    }

    /// <summary>Applies the events in order; the grants are those made along the way.</summary>
    internal static ResourceGroupStep Fold(ResourceGroupState state, IReadOnlyList<ResourceGroupEvent> events)
    {
        var granted = ImmutableArray<ResourceClaimant>.Empty;
        foreach (var e in events)
        {
            var step = ResourceGroupMachine.Apply(state, e);
            state = step.State;
            granted = granted.AddRange(step.Granted);
        }

        return new ResourceGroupStep(state, granted);
    }

    /// <summary>Of the grants of one group update, the one still holding at its end (an earlier one was released in it).</summary>
    private static List<ResourceClaimant>? Holders(ResourceGroupStep step) =>
        step.State.Holder is { } holder && step.Granted.Contains(holder) ? [holder] : null;
}
