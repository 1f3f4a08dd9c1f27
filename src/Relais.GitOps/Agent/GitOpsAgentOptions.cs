using Relais.GitOps.Reporting;

namespace Relais.GitOps.Agent;

/// <summary>How the agent runs: its state folder, clock, log, and where applies are reported.</summary>
public sealed record GitOpsAgentOptions(string StateDirectory, TimeProvider Time, AgentLog Log)
{
    /// <summary>How long an apply may wait for health before the applier rolls back (Flux's default Kustomization timeout is its interval; Swarm rollouts need longer).</summary>
    public TimeSpan ApplyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Reports applies as deployments to a coordinator (<c>--coordinator URL --token-file FILE</c>); null: not reported.</summary>
    public DeploymentReporter? Reporter { get; init; }
}
