namespace Relais.GitOps.Appliers;

/// <summary>How an application ended.</summary>
/// <param name="Healthy">Everything applied converged (services running their new spec, rollouts complete).</param>
/// <param name="Changed">The objects created, updated or pruned (e.g. <c>service demo_web</c>); empty when nothing changed.</param>
/// <param name="Message">One line for the log and the deployment: what was applied, or why it failed.</param>
/// <param name="RolledBack">Unhealthy, and what was changed was rolled back.</param>
public sealed record ApplyResult(bool Healthy, IReadOnlyList<string> Changed, string Message, bool RolledBack = false);

/// <summary>One object that would change.</summary>
/// <param name="Object">What: <c>service demo_web</c>, <c>Deployment app/web</c>.</param>
/// <param name="Change"><c>create</c>, <c>update</c> or <c>delete</c>.</param>
/// <param name="Detail">How, when known: <c>image registry/app:1.0.0 → registry/app:1.1.0</c>.</param>
public sealed record DiffEntry(string Object, string Change, string? Detail);
