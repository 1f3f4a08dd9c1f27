using Relais.GitOps.Config;
using Relais.GitOps.Sources;

namespace Relais.GitOps.Reporting;

/// <summary>One apply being reported: where, which commit, and the deployment made for it (null until the coordinator answered).</summary>
/// <param name="NewCommit">The commit had not been reported for this resource before (a rollout, not a drift correction).</param>
public sealed record DeploymentReport(GitOpsResource Resource, DeploymentTarget Target, SourceArtifact Source, bool NewCommit)
{
    public long? DeploymentId { get; set; }
}
