using System.Text.Json;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The objects a Kustomization applied last, kept in the agent's state folder (one JSON file per Kustomization), as
/// Flux keeps them in the Kustomization's status: their kinds are searched for stale objects even when no file renders
/// that kind any more.
/// </summary>
public sealed class InventoryFile(string stateDirectory, string name, string ns)
{
    /// <summary>The file: <c>kubernetes-inventory.NAMESPACE.NAME.json</c> in the state folder.</summary>
    public string Path => System.IO.Path.Combine(stateDirectory, $"kubernetes-inventory.{ns}.{name}.json");

    /// <summary>The objects of the last apply; empty before the first.</summary>
    public IReadOnlyList<ObjectRef> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ObjectRef>>(File.ReadAllText(Path)) ?? [];
        }
        catch (JsonException e)
        {
            throw new KubernetesApplyException($"the inventory {Path} does not read: {e.Message}");
        }
    }

    /// <summary>Replaces the inventory (written to a temporary file, then moved over the old one).</summary>
    public void Write(IEnumerable<ObjectRef> objects)
    {
        Directory.CreateDirectory(stateDirectory);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(objects.ToList()));
        File.Move(temporary, Path, overwrite: true);
    }
}
