using Relais.GitOps.Appliers;
using Relais.GitOps.Config;

namespace Relais.GitOps.Agent;

/// <summary>
/// The <c>relais gitops</c> agent: reconciles every resource of a configuration on its own <c>interval</c>, each in its
/// own loop, and wakes the resources that depend on a change at once — a source's new revision wakes its appliers and
/// automations; new tags wake their policies; a policy's new latest image wakes the automations; an automation's push
/// wakes its source. Appliers apply on every interval too (drift correction). Suspended resources (<c>suspend: true</c>
/// or <c>relais gitops suspend</c>) are skipped; one resource's error never stops the others.
/// </summary>
public sealed class GitOpsAgent : IDisposable
{
    private readonly GitOpsConfig _config;
    private readonly GitOpsAgentOptions _options;
    private readonly Reconciler _reconciler;
    private readonly SuspendMarkers _markers;
    private readonly Dictionary<GitOpsResource, WakeSignal> _signals;

    public GitOpsAgent(GitOpsConfig config, GitOpsParts parts, GitOpsAgentOptions options)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _reconciler = new Reconciler(config, parts, new AgentState(), options.Log, options.Reporter, options.ApplyTimeout);
        _markers = new SuspendMarkers(options.StateDirectory);
        _signals = config.Resources.Where(r => r is not Secret).ToDictionary(r => r, _ => new WakeSignal());
    }

    /// <summary>The resources reconciled (every one but secrets).</summary>
    public IReadOnlyCollection<GitOpsResource> Resources => _signals.Keys;

    /// <summary>Runs until <paramref name="stop"/>; an apply under way then finishes unless <paramref name="abort"/> is cancelled too.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort = default)
    {
        _options.Log.Agent($"watching {_signals.Count} resource(s): {string.Join(", ", _signals.Keys.GroupBy(r => r.Kind).Select(g => $"{g.Count()} {g.Key}"))}");
        await Task.WhenAll(_signals.Keys.Select(r => Task.Run(() => LoopAsync(r, stop, abort), CancellationToken.None))).ConfigureAwait(false);
        _options.Log.Agent("stopped");
    }

    /// <summary>
    /// One reconciliation of <paramref name="target"/> and what it depends on, in order, now (<c>relais gitops reconcile</c>):
    /// an applier's source; a policy's image repository; an automation's source, every image repository and policy, and
    /// its source again after a push.
    /// </summary>
    public async Task<ReconcileOutcome> ReconcileOnceAsync(GitOpsResource target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (IsSuspended(target))
        {
            return new ReconcileOutcome(false, false, "suspended");
        }

        ReconcileOutcome? failed = null;
        foreach (var resource in DependenciesOf(target))
        {
            var outcome = await _reconciler.ReconcileAsync(resource, cancellationToken, cancellationToken).ConfigureAwait(false);
            if (!outcome.Ready)
            {
                failed ??= outcome with { Message = $"{AgentLog.Label(resource)}: {outcome.Message ?? "not ready"}" };
            }
        }

        var result = await _reconciler.ReconcileAsync(target, cancellationToken, cancellationToken).ConfigureAwait(false);
        if (result.Changed && target is ImageUpdateAutomation automation)
        {
            await _reconciler.ReconcileAsync(SourceOf(automation), cancellationToken, cancellationToken).ConfigureAwait(false);
        }

        return result.Ready ? failed ?? result : result with { Message = result.Message ?? failed?.Message ?? "not ready" };
    }

    /// <summary>Fetches <paramref name="target"/>'s source and answers what its applier would change (<c>relais gitops diff</c>).</summary>
    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(GitOpsResource target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var source = SourceOf(target);
        var fetched = await _reconciler.ReconcileAsync(source, cancellationToken, cancellationToken).ConfigureAwait(false);
        if (!fetched.Ready)
        {
            throw new InvalidOperationException($"{AgentLog.Label(source)}: {fetched.Message}");
        }

        return await _reconciler.DiffAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var signal in _signals.Values)
        {
            signal.Dispose();
        }
    }

    private async Task LoopAsync(GitOpsResource resource, CancellationToken stop, CancellationToken abort)
    {
        var signal = _signals[resource];
        while (!stop.IsCancellationRequested)
        {
            if (IsSuspended(resource))
            {
                _options.Log.Problem(resource, "suspended", "suspend");
            }
            else
            {
                _options.Log.Ready(resource, "suspend", "resumed");
                try
                {
                    var outcome = await _reconciler.ReconcileAsync(resource, stop, abort).ConfigureAwait(false);
                    if (outcome.Changed)
                    {
                        WakeDependents(resource);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }

            await signal.WaitAsync(IntervalOf(resource), _options.Time, stop).ConfigureAwait(false);
        }
    }

    private void WakeDependents(GitOpsResource resource)
    {
        IEnumerable<GitOpsResource> dependents = resource switch
        {
            GitRepository repository => _signals.Keys.Where(r => r is DockerDeployment or Kustomization or ImageUpdateAutomation && Reconciler.SourceOf(r).Key == repository.Key),
            ImageRepository repository => _config.ImagePolicies.Where(p => p.ImageRepositoryRef.Key == repository.Key),
            ImagePolicy => _config.ImageUpdateAutomations,
            ImageUpdateAutomation automation => [SourceOf(automation)],
            _ => [],
        };
        foreach (var dependent in dependents)
        {
            _signals[dependent].Wake();
        }
    }

    private IEnumerable<GitOpsResource> DependenciesOf(GitOpsResource target) => target switch
    {
        ImagePolicy policy => _config.ImageRepositories.Where(r => r.Key == policy.ImageRepositoryRef.Key),
        ImageUpdateAutomation automation => new GitOpsResource[] { SourceOf(automation) }.Concat(_config.ImageRepositories).Concat(_config.ImagePolicies),
        DockerDeployment or Kustomization => [SourceOf(target)],
        _ => [],
    };

    private GitRepository SourceOf(GitOpsResource resource) => _config.GitRepositories.First(r => r.Key == Reconciler.SourceOf(resource).Key);

    private bool IsSuspended(GitOpsResource resource) => SuspendedInSpec(resource) || _markers.IsSuspended(resource);

    private static bool SuspendedInSpec(GitOpsResource resource) => resource switch
    {
        GitRepository r => r.Suspend,
        ImageRepository r => r.Suspend,
        ImageUpdateAutomation r => r.Suspend,
        Kustomization r => r.Suspend,
        DockerDeployment r => r.Suspend,
        _ => false,
    };

    /// <summary>A resource's interval; an <c>ImagePolicy</c> has none (Flux reconciles it when its repository's tags change) and takes its repository's.</summary>
    private TimeSpan? IntervalOf(GitOpsResource resource) => resource switch
    {
        GitRepository r => r.Interval,
        ImageRepository r => r.Interval,
        ImagePolicy p => _config.ImageRepositories.FirstOrDefault(r => r.Key == p.ImageRepositoryRef.Key)?.Interval,
        ImageUpdateAutomation r => r.Interval,
        Kustomization r => r.Interval,
        DockerDeployment r => r.Interval,
        _ => null,
    };
}
