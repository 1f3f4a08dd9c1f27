using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;

namespace Relais.GitOps.Agent;

/// <summary>The components the agent drives: git sources, registry scans, update commits and the appliers.</summary>
/// <param name="Sources">Fetches <c>GitRepository</c> resources.</param>
/// <param name="Scanner">Scans <c>ImageRepository</c> resources.</param>
/// <param name="Updater">Runs <c>ImageUpdateAutomation</c> resources.</param>
/// <param name="Appliers">The applier of a <c>SwarmStack</c>, <c>ComposeProject</c> or <c>Kustomization</c>; null when there is none for it.</param>
public sealed record GitOpsParts(IGitSource Sources, IImageScanner Scanner, IImageUpdater Updater, Func<GitOpsResource, IApplier?> Appliers)
{
    /// <summary>What else the parts hold that the agent's owner disposes with them (a registry tag source).</summary>
    public IReadOnlyList<IDisposable> Disposables { get; init; } = [];
}
