using System.Text.Json;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Finds what pruning deletes: the objects in the cluster that carry a Kustomization's inventory labels but are no
/// longer rendered. Every kind rendered now or in the last inventory is searched, in every namespace. An object
/// annotated <c>kustomize.toolkit.fluxcd.io/prune: disabled</c> is kept, as Flux keeps it.
/// </summary>
public sealed class StaleObjects(Kubectl kubectl)
{
    /// <summary>Flux's annotation that keeps an object from being pruned (value <c>disabled</c>).</summary>
    public const string PruneAnnotation = "kustomize.toolkit.fluxcd.io/prune";

    /// <summary>The stale objects, namespaced ones first and Namespaces and CRDs last (the order to delete them in).</summary>
    /// <exception cref="KubernetesApplyException">kubectl could not list a kind the cluster has.</exception>
    public async Task<IReadOnlyList<ObjectRef>> FindAsync(string name, string ns, IReadOnlyList<RenderedObject> rendered,
        IReadOnlyList<ObjectRef> lastInventory, CancellationToken cancellationToken)
    {
        var types = rendered.Select(o => o.Ref).Concat(lastInventory)
            .Select(r => r.ResourceType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var stale = new List<ObjectRef>();
        foreach (var type in types)
        {
            var result = await kubectl.GetLabelledAsync(type, name, ns, cancellationToken);
            if (!result.Succeeded)
            {
                if (result.Message.Contains("the server doesn't have a resource type", StringComparison.Ordinal))
                {
                    continue; // The kind is gone from the cluster (its CRD deleted), and its objects with it.
                }

                throw new KubernetesApplyException($"kubectl get {type} failed: {Kubectl.MessageOf(result)}");
            }

            stale.AddRange(Items(result.Output, type).Where(live => !rendered.Any(o => o.Ref.Matches(live))));
        }

        return [.. stale.OrderBy(DeletionStage)];
    }

    private static int DeletionStage(ObjectRef target) => target switch
    {
        { Kind: "CustomResourceDefinition" } or { Kind: "Namespace" } => 2,
        { Namespace: null } => 1,
        _ => 0,
    };

    private static List<ObjectRef> Items(string json, string type)
    {
        var items = new List<ObjectRef>();
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                var metadata = item.GetProperty("metadata");
                if (metadata.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
                    && annotations.TryGetProperty(PruneAnnotation, out var prune) && prune.GetString() == "disabled")
                {
                    continue;
                }

                var itemNamespace = metadata.TryGetProperty("namespace", out var n) ? n.GetString() : null;
                items.Add(new ObjectRef(item.GetProperty("apiVersion").GetString()!, item.GetProperty("kind").GetString()!,
                    string.IsNullOrEmpty(itemNamespace) ? null : itemNamespace, metadata.GetProperty("name").GetString()!));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new KubernetesApplyException($"kubectl get {type} answered what is not a list of objects: {e.Message}");
        }

        return items;
    }
}
