using Relais.GitOps.Config;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Applies a <see cref="Kustomization"/> as Flux's kustomize-controller does, with kubectl: render the folder
/// (<see cref="KustomizeRenderer"/>), check every object against the Kubernetes models (<see cref="StrictModelValidator"/>),
/// then in two stages (CRDs and Namespaces first, then the rest) diff and server-side apply; prune the labelled objects
/// no longer rendered (<see cref="StaleObjects"/>); and wait for the rollouts of Deployments, StatefulSets and DaemonSets
/// within the request's timeout. A rollout that does not complete makes the result unhealthy; nothing is rolled back
/// (Flux rolls back nothing either: the next commit in git is the way back).
/// </summary>
/// <param name="stateDirectory">The agent's state folder, where each Kustomization's inventory is kept.</param>
/// <param name="kubectl">The kubectl runner for the cluster commands (the tests answer in the cluster's place).</param>
/// <param name="time">The clock that measures the timeout.</param>
public sealed class KubernetesApplier(string stateDirectory, Kubectl? kubectl = null, TimeProvider? time = null) : IApplier
{
    private readonly Kubectl _kubectl = kubectl ?? new Kubectl();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var kustomization = KustomizationOf(request);
        var started = _time.GetTimestamp();
        var changed = new List<string>();
        IReadOnlyList<RenderedObject> objects;
        try
        {
            objects = await RenderAsync(request, cancellationToken);
            foreach (var stage in Stages(objects))
            {
                var stream = ManifestStream.Write(stage);
                changed.AddRange((await DiffStageAsync(stream, stage, cancellationToken)).Select(e => e.Object));
                var applied = await _kubectl.ApplyAsync(stream, cancellationToken);
                if (!applied.Succeeded)
                {
                    throw new KubernetesApplyException($"kubectl apply failed: {Kubectl.MessageOf(applied)}");
                }
            }

            var inventory = new InventoryFile(stateDirectory, kustomization.Name, kustomization.Namespace);
            if (kustomization.Prune)
            {
                foreach (var stale in await new StaleObjects(_kubectl).FindAsync(kustomization.Name, kustomization.Namespace, objects, inventory.Read(), cancellationToken))
                {
                    var deleted = await _kubectl.DeleteAsync(stale, cancellationToken);
                    if (!deleted.Succeeded)
                    {
                        throw new KubernetesApplyException($"kubectl delete of {stale} failed: {Kubectl.MessageOf(deleted)}");
                    }

                    changed.Add(stale.ToString());
                }
            }

            inventory.Write(objects.Select(o => o.Ref));
        }
        catch (KubernetesApplyException e)
        {
            return new ApplyResult(false, changed, e.Message);
        }

        foreach (var workload in objects.Where(o => o.HasRollout))
        {
            var status = await _kubectl.RolloutStatusAsync(workload.Ref, request.Timeout - _time.GetElapsedTime(started), cancellationToken);
            if (!status.Succeeded)
            {
                return new ApplyResult(false, changed, $"{workload.Ref}: rollout did not complete: {Kubectl.MessageOf(status)}");
            }
        }

        var what = changed.Count == 0 ? "no changes" : $"{changed.Count} changed";
        return new ApplyResult(true, changed, $"applied {objects.Count} object(s) of {kustomization.Namespace}/{kustomization.Name} at {request.Source.Revision}: {what}");
    }

    /// <inheritdoc />
    /// <exception cref="KubernetesApplyException">The files do not render or validate, or kubectl cannot diff or list.</exception>
    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var kustomization = KustomizationOf(request);
        var objects = await RenderAsync(request, cancellationToken);
        var entries = new List<DiffEntry>();
        foreach (var stage in Stages(objects))
        {
            entries.AddRange(await DiffStageAsync(ManifestStream.Write(stage), stage, cancellationToken));
        }

        if (kustomization.Prune)
        {
            var inventory = new InventoryFile(stateDirectory, kustomization.Name, kustomization.Namespace);
            var stale = await new StaleObjects(_kubectl).FindAsync(kustomization.Name, kustomization.Namespace, objects, inventory.Read(), cancellationToken);
            entries.AddRange(stale.Select(s => new DiffEntry(s.ToString(), "delete", "no longer in the source")));
        }

        return entries;
    }

    /// <summary>The objects the request's Kustomization renders to at its source revision, checked against the models.</summary>
    /// <exception cref="KubernetesApplyException">They do not render, or some are invalid (every error, separated by <c>; </c>).</exception>
    public async Task<IReadOnlyList<RenderedObject>> RenderAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var kustomization = KustomizationOf(request);
        var stream = await new KustomizeRenderer(_kubectl.Program).RenderAsync(request.Source.Directory, kustomization.Path,
            kustomization.Name, kustomization.Namespace, kustomization.TargetNamespace, cancellationToken);
        var objects = ManifestStream.Read(stream);
        var errors = StrictModelValidator.Validate(objects);
        return errors.Count == 0 ? objects
            : throw new KubernetesApplyException($"{kustomization.Path} at {request.Source.Revision} is not valid: {string.Join("; ", errors)}");
    }

    private async Task<IReadOnlyList<DiffEntry>> DiffStageAsync(string stream, IReadOnlyList<RenderedObject> stage, CancellationToken cancellationToken)
    {
        var diff = await _kubectl.DiffAsync(stream, cancellationToken);
        return diff.ExitCode is 0 or 1 ? KubectlDiffReader.Read(diff.Output, stage)
            : throw new KubernetesApplyException($"kubectl diff failed: {Kubectl.MessageOf(diff)}");
    }

    private static IEnumerable<IReadOnlyList<RenderedObject>> Stages(IReadOnlyList<RenderedObject> objects) =>
        new[] { objects.Where(o => o.IsClusterDefinition).ToList(), objects.Where(o => !o.IsClusterDefinition).ToList() }.Where(s => s.Count > 0);

    private static Kustomization KustomizationOf(ApplyRequest request) =>
        request.Resource as Kustomization ?? throw new ArgumentException($"the Kubernetes applier applies Kustomizations, not a {request.Resource.Kind}", nameof(request));
}
