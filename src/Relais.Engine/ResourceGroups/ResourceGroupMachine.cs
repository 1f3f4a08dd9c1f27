using System.Collections.Immutable;

namespace Relais.Engine;

/// <summary>
/// The resource group state machine, pure like the pipeline engine. It holds one resource: when it is free,
/// it picks the next claim by the group's mode, as GitLab's <c>ResourceGroup#upcoming_processables</c> does:
/// <list type="bullet">
/// <item>unordered and newest_ready_first look only at ready claims (newest_ready_first: newest pipeline first);</item>
/// <item>oldest_first and newest_first also look at upcoming claims, ordered by pipeline (and, within a
/// pipeline, ready ones first): if the first one is not ready yet, nobody gets the resource, so an older
/// (or newer) pipeline's deployment is never overtaken.</item>
/// </list>
/// </summary>
public static class ResourceGroupMachine
{
    /// <summary>Apply one event; the step says who got the resource.</summary>
    public static ResourceGroupStep Apply(ResourceGroupState state, ResourceGroupEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        var next = e switch
        {
            ResourceClaimUpcoming up => Upsert(state, up.Claimant, ready: false),
            ResourceClaimReady ready => Upsert(state, ready.Claimant, ready: true),
            ResourceClaimReleased released => Release(state, released.Claimant),
            ResourceProcessModeChanged mode => state with { Mode = mode.Mode },
            _ => state,
        };
        return Assign(next);
    }

    private static ResourceGroupState Upsert(ResourceGroupState state, ResourceClaimant claimant, bool ready)
    {
        if (state.Holder == claimant)
        {
            return state;
        }

        var existing = state.Claims.FirstOrDefault(c => c.Claimant == claimant);
        if (existing is not null)
        {
            return state with { Claims = state.Claims.Replace(existing, existing with { Ready = ready || existing.Ready }) };
        }

        var claim = new ResourceClaim(claimant, ready, state.NextSequence);
        return state with { Claims = state.Claims.Add(claim), NextSequence = state.NextSequence + 1 };
    }

    private static ResourceGroupState Release(ResourceGroupState state, ResourceClaimant claimant) =>
        state.Holder == claimant
            ? state with { Holder = null }
            : state with { Claims = state.Claims.RemoveAll(c => c.Claimant == claimant) };

    private static ResourceGroupStep Assign(ResourceGroupState state)
    {
        if (state.Holder is not null || Next(state) is not { Ready: true } next)
        {
            return new ResourceGroupStep(state, []);
        }

        var granted = state with { Holder = next.Claimant, Claims = state.Claims.Remove(next) };
        return new ResourceGroupStep(granted, [next.Claimant]);
    }

    private static ResourceClaim? Next(ResourceGroupState state)
    {
        var ready = state.Claims.Where(c => c.Ready);
        return state.Mode switch
        {
            ResourceProcessMode.Unordered => ready.OrderBy(c => c.Sequence).FirstOrDefault(),
            ResourceProcessMode.NewestReadyFirst => ready
                .OrderByDescending(c => c.Claimant.PipelineId).ThenBy(c => c.Sequence).FirstOrDefault(),
            ResourceProcessMode.OldestFirst => state.Claims
                .OrderBy(c => c.Claimant.PipelineId).ThenByDescending(c => c.Ready).ThenBy(c => c.Sequence).FirstOrDefault(),
            ResourceProcessMode.NewestFirst => state.Claims
                .OrderByDescending(c => c.Claimant.PipelineId).ThenByDescending(c => c.Ready).ThenBy(c => c.Sequence).FirstOrDefault(),
            _ => null,
        };
    }
}
