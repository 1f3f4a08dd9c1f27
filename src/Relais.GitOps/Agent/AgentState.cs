using System.Collections.Concurrent;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;

namespace Relais.GitOps.Agent;

/// <summary>What the agent knows between reconciliations: each source's last revision, each image's tags, each policy's latest image.</summary>
internal sealed class AgentState
{
    /// <summary>The last fetched revision by <c>GitRepository</c> key (<c>namespace/name</c>).</summary>
    public ConcurrentDictionary<string, SourceArtifact> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>The tags of the last scan by <c>ImageRepository</c> key.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<string>> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Each <c>ImagePolicy</c>'s latest image by <c>namespace:name</c> (the key setter markers use).</summary>
    public ConcurrentDictionary<string, PolicyImage> Latest { get; } = new(StringComparer.Ordinal);

    /// <summary>The commit each applied resource last applied, by <c>Kind namespace/name</c>.</summary>
    public ConcurrentDictionary<string, string> Applied { get; } = new(StringComparer.Ordinal);
}

/// <summary>How one reconciliation ended.</summary>
/// <param name="Ready">It did its work (fetched, scanned, applied healthy); false when it failed or waits for a source.</param>
/// <param name="Changed">Something its dependents care about changed (a new revision, new tags, a new latest image, a commit pushed).</param>
/// <param name="Message">Why it is not ready, for <c>relais gitops reconcile</c>.</param>
public sealed record ReconcileOutcome(bool Ready, bool Changed, string? Message = null);
