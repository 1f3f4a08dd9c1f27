namespace Relais.Server.Registry;

/// <summary>
/// The registry's garbage collection, which Distribution can only run while the registry is read-only: the cleanup
/// policy calls it after deleting tags; the UI says when the registry is read-only.
/// </summary>
public interface IRegistryMaintenance
{
    /// <summary>Whether the registry is read-only right now (garbage collection is running: pushes are refused).</summary>
    bool IsReadOnly { get; }

    /// <summary>Makes the registry read-only, removes unreferenced blobs and untagged manifests, and makes it writable again; returns what the collector said (a summary line).</summary>
    Task<string> CollectGarbageAsync(CancellationToken cancel);
}
