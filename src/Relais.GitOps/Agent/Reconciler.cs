using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Reporting;
using Relais.GitOps.Updates;

namespace Relais.GitOps.Agent;

/// <summary>
/// One reconciliation of one resource, by kind: fetch a <c>GitRepository</c>, scan an <c>ImageRepository</c>, pick an
/// <c>ImagePolicy</c>'s latest image, run an <c>ImageUpdateAutomation</c>, apply a <c>SwarmStack</c>,
/// <c>ComposeProject</c> or <c>Kustomization</c>. It logs what changed and what went wrong (once per change).
/// </summary>
internal sealed class Reconciler(GitOpsConfig config, GitOpsParts parts, AgentState state, AgentLog log, DeploymentReporter? reporter, TimeSpan applyTimeout)
{
    /// <param name="resource">The resource.</param>
    /// <param name="stop">Cancels fetches, scans and updates (the agent stops).</param>
    /// <param name="abort">Cancels an apply (a running apply finishes when the agent stops).</param>
    public async Task<ReconcileOutcome> ReconcileAsync(GitOpsResource resource, CancellationToken stop, CancellationToken abort)
    {
        try
        {
            var outcome = resource switch
            {
                GitRepository repository => await FetchAsync(repository, stop).ConfigureAwait(false),
                ImageRepository repository => await ScanAsync(repository, stop).ConfigureAwait(false),
                ImagePolicy policy => Select(policy),
                ImageUpdateAutomation automation => await UpdateAsync(automation, stop).ConfigureAwait(false),
                DockerDeployment or Kustomization => await ApplyAsync(resource, SourceOf(resource), abort).ConfigureAwait(false),
                _ => new ReconcileOutcome(true, false),
            };
            if (outcome.Ready)
            {
                log.Ready(resource);
            }
            else if (outcome.Message is { } problem)
            {
                log.Problem(resource, problem);
            }

            return outcome;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Problem(resource, e.Message);
            return new ReconcileOutcome(false, false, e.Message);
        }
    }

    /// <summary>
    /// How long an apply may take: the resource's <c>spec.timeout</c>; else, for a Kustomization, its interval (Flux's
    /// default); else the agent's <c>ApplyTimeout</c>.
    /// </summary>
    internal static TimeSpan TimeoutOf(GitOpsResource resource, TimeSpan agentDefault) => resource switch
    {
        Kustomization { Timeout: { } timeout } => timeout,
        Kustomization kustomization => kustomization.Interval,
        DockerDeployment { Timeout: { } timeout } => timeout,
        _ => agentDefault,
    };

    /// <summary>What <paramref name="resource"/>'s applier would change, from its source's current revision.</summary>
    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(GitOpsResource resource, CancellationToken cancellationToken)
    {
        var source = state.Sources.GetValueOrDefault(SourceOf(resource).Key)
            ?? throw new InvalidOperationException($"GitRepository {SourceOf(resource).Key} was not fetched");
        var applier = parts.Appliers(resource) ?? throw new InvalidOperationException($"no applier for {resource.Kind}");
        return await applier.DiffAsync(new ApplyRequest(resource, source, TimeoutOf(resource, applyTimeout)), cancellationToken).ConfigureAwait(false);
    }

    public static ResourceRef SourceOf(GitOpsResource resource) => resource switch
    {
        DockerDeployment docker => docker.SourceRef,
        Kustomization kustomization => kustomization.SourceRef,
        ImageUpdateAutomation automation => automation.SourceRef,
        _ => throw new ArgumentException($"{resource.Kind} has no source", nameof(resource)),
    };

    private async Task<ReconcileOutcome> FetchAsync(GitRepository repository, CancellationToken cancellationToken)
    {
        var artifact = await parts.Sources.FetchAsync(repository, cancellationToken).ConfigureAwait(false);
        var previous = state.Sources.GetValueOrDefault(repository.Key);
        state.Sources[repository.Key] = artifact;
        var changed = previous?.Commit != artifact.Commit;
        if (changed)
        {
            log.Event(repository, $"fetched {artifact.Revision}");
        }

        return new ReconcileOutcome(true, changed);
    }

    private async Task<ReconcileOutcome> ScanAsync(ImageRepository repository, CancellationToken cancellationToken)
    {
        var changes = await parts.Scanner.ScanAsync(repository, cancellationToken).ConfigureAwait(false);
        var first = !state.Tags.ContainsKey(repository.Key);
        state.Tags[repository.Key] = changes.Tags;
        if (first)
        {
            log.Event(repository, $"{changes.Tags.Count} tag(s) of {repository.Image}");
        }
        else if (changes.Any)
        {
            log.Event(repository, $"{repository.Image}: {Describe("new", changes.Added)}{(changes.Added.Count > 0 && changes.Removed.Count > 0 ? "; " : "")}{Describe("removed", changes.Removed)}");
        }

        return new ReconcileOutcome(true, first || changes.Any);
    }

    private ReconcileOutcome Select(ImagePolicy policy)
    {
        var repository = config.ImageRepositories.First(r => r.Key == policy.ImageRepositoryRef.Key);
        if (!state.Tags.TryGetValue(repository.Key, out var tags))
        {
            return new ReconcileOutcome(false, false);
        }

        var key = policy.Namespace + ":" + policy.Name;
        if (policy.Rule.Latest(tags, policy.Filter) is not { } tag)
        {
            return new ReconcileOutcome(false, false, $"no tag of {repository.Image} fits the policy ({tags.Count} tag(s))");
        }

        var image = new PolicyImage(repository.Image, tag);
        var previous = state.Latest.GetValueOrDefault(key);
        state.Latest[key] = image;
        if (previous != image)
        {
            log.Event(policy, $"latest image {image.Reference}{(previous is null ? "" : $" (was {previous.Tag})")}");
        }

        return new ReconcileOutcome(true, previous != image);
    }

    private async Task<ReconcileOutcome> UpdateAsync(ImageUpdateAutomation automation, CancellationToken cancellationToken)
    {
        var source = config.GitRepositories.First(r => r.Key == automation.SourceRef.Key);
        if (!state.Sources.ContainsKey(source.Key))
        {
            return new ReconcileOutcome(false, false);
        }

        var result = await parts.Updater.UpdateAsync(automation, source, new Dictionary<string, PolicyImage>(state.Latest), cancellationToken).ConfigureAwait(false);
        if (result.Commit is null)
        {
            return new ReconcileOutcome(true, false);
        }

        var changes = result.Changes.SelectMany(f => f.Changes.Select(c => $"{f.File}:{c.Line} {c.NewValue}"));
        log.Event(automation, $"pushed {result.Commit[..Math.Min(8, result.Commit.Length)]} to {result.Branch}: {string.Join(", ", changes)}");
        return new ReconcileOutcome(true, true);
    }

    private async Task<ReconcileOutcome> ApplyAsync(GitOpsResource resource, ResourceRef sourceRef, CancellationToken cancellationToken)
    {
        if (!state.Sources.TryGetValue(sourceRef.Key, out var source))
        {
            return new ReconcileOutcome(false, false);
        }

        var applier = parts.Appliers(resource) ?? throw new InvalidOperationException($"no applier for {resource.Kind}");
        var report = reporter is null ? null : await reporter.StartAsync(resource, source, cancellationToken).ConfigureAwait(false);
        ApplyResult result;
        try
        {
            result = await applier.ApplyAsync(new ApplyRequest(resource, source, TimeoutOf(resource, applyTimeout)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (report is not null && e is not OperationCanceledException)
        {
            await reporter!.FinishAsync(report, new ApplyResult(false, [], e.Message), cancellationToken).ConfigureAwait(false);
            throw;
        }

        if (report is not null)
        {
            await reporter!.FinishAsync(report, result, cancellationToken).ConfigureAwait(false);
        }

        var label = AgentLog.Label(resource);
        var newCommit = state.Applied.GetValueOrDefault(label) != source.Commit;
        state.Applied[label] = source.Commit;
        if (!result.Healthy)
        {
            return new ReconcileOutcome(false, false, $"{source.Revision}: {result.Message}{(result.RolledBack ? " (rolled back)" : "")}");
        }

        if (newCommit || result.Changed.Count > 0)
        {
            var what = result.Changed.Count > 0 ? string.Join(", ", result.Changed) : "nothing changed";
            log.Event(resource, $"applied {source.Revision}{(newCommit ? "" : " (drift corrected)")}: {what}");
        }

        return new ReconcileOutcome(true, false);
    }

    private static string Describe(string what, IReadOnlyList<string> tags) =>
        tags.Count == 0 ? "" : $"{what} {string.Join(", ", tags.Take(5))}{(tags.Count > 5 ? $" and {tags.Count - 5} more" : "")}";
}
