namespace Relais.GitOps.Appliers;

/// <summary>
/// Makes a target (a Swarm stack, a Compose project, Kubernetes objects) match what a source's files say, and tells what
/// would change. Applying what is already applied changes nothing; applying again after a hand-made change corrects it.
/// </summary>
public interface IApplier
{
    /// <summary>Applies, waits for health (up to the resource's timeout), rolls back what it changed when not healthy.</summary>
    Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken);

    /// <summary>What <see cref="ApplyAsync"/> would change, without changing anything.</summary>
    Task<IReadOnlyList<DiffEntry>> DiffAsync(ApplyRequest request, CancellationToken cancellationToken);
}
