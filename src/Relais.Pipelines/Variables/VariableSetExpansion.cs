using System.Collections.Immutable;

namespace Relais.Pipelines.Variables;

/// <summary>
/// The outcome of expanding a variable set. With cycles, GitLab expands nothing: <see cref="Variables"/>
/// is then the input unchanged and <see cref="Error"/> names the cycles (GitLab fails the job with it).
/// </summary>
/// <param name="Variables">The variables, each value expanded, in dependency order (see <see cref="VariableSetExpander"/>).</param>
/// <param name="Cycles">Each group of variables that refer to each other in a circle, by key.</param>
public sealed record VariableSetExpansion(ImmutableArray<VariableDefinition> Variables, ImmutableArray<ImmutableArray<string>> Cycles)
{
    public bool HasCycles => !Cycles.IsEmpty;

    /// <summary>A sentence naming the cycles, or null when there are none.</summary>
    public string? Error => HasCycles
        ? "circular variable reference between " + string.Join("; ", Cycles.Select(cycle => string.Join(", ", cycle)))
        : null;
}
