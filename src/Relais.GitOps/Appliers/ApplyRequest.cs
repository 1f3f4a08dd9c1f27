using Relais.GitOps.Config;
using Relais.GitOps.Sources;

namespace Relais.GitOps.Appliers;

/// <summary>One application: the resource (a <see cref="DockerDeployment"/> or a <see cref="Kustomization"/>) and the source revision to apply.</summary>
/// <param name="Timeout">How long to wait for health before rolling back.</param>
public sealed record ApplyRequest(GitOpsResource Resource, SourceArtifact Source, TimeSpan Timeout);
