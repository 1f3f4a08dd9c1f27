using System.Collections.Immutable;

namespace Relais.Pipelines.Variables;

/// <summary>
/// Expands every value of a variable set against the others, as GitLab does before it sends a job's
/// variables (<c>Collection#sort_and_expand_all</c>):
/// <list type="number">
/// <item>Each non-raw variable depends on the variables its value names (<c>$NAME</c>, <c>${NAME}</c>, <c>%NAME%</c>),
/// every definition of that name included.</item>
/// <item>Groups of variables referring to each other in a circle are cycles: then nothing is expanded
/// and the cycles are reported. A variable naming only itself is no cycle; the reference goes to an
/// earlier definition of the name, if any.</item>
/// <item>Otherwise variables are taken in dependency order (depth-first, dependencies first, the way
/// Ruby's TSort walks them) and each value is expanded against what was already taken, the last
/// definition of a name winning. References are replaced by expanded values, so chains resolve fully.</item>
/// </list>
/// <c>$$</c> and <c>%%</c> are kept as written for the runner. Runs in linear time; never recurses deeply.
/// </summary>
public static class VariableSetExpander
{
    public static VariableSetExpansion Expand(IReadOnlyList<VariableDefinition> variables, VariableSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var dependsOn = variables.Select(v => v.Raw ? [] : GitLabReferenceSyntax.References(v.Value, escapes: true)).ToArray();
        var components = DependencyOrder.StronglyConnected(Edges(variables, dependsOn));
        var cycles = components.Where(c => c.Count > 1)
            .Select(c => c.Select(index => variables[index].Key).ToImmutableArray())
            .ToImmutableArray();
        if (!cycles.IsEmpty)
        {
            return new VariableSetExpansion([.. variables], cycles);
        }

        var taken = ImmutableArray.CreateBuilder<VariableDefinition>(variables.Count);
        var latest = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        foreach (var index in components.Select(c => c[0]))
        {
            var variable = variables[index];
            if (dependsOn[index].Count > 0)
            {
                var value = GitLabReferenceSyntax.Expand(variable.Value, escapes: true, options.KeepUndefined,
                    (name, written) => Replacement(latest, name, written, options));
                variable = variable with { Value = value };
            }

            taken.Add(variable);
            latest[variable.Key] = variable;
        }

        return new VariableSetExpansion(taken.MoveToImmutable(), []);
    }

    private static string? Replacement(Dictionary<string, VariableDefinition> latest, string name, string written, VariableSetOptions options)
    {
        if (!latest.TryGetValue(name, out var target))
        {
            return null;
        }

        return (target.IsFile && !options.ExpandFileReferences) || (target.Raw && !options.ExpandRawReferences)
            ? written
            : target.Value;
    }

    /// <summary>For each variable, the indexes of every definition of each name it refers to, in reference order.</summary>
    private static int[][] Edges(IReadOnlyList<VariableDefinition> variables, List<string>[] dependsOn)
    {
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            if (!byKey.TryGetValue(variables[i].Key, out var indexes))
            {
                byKey[variables[i].Key] = indexes = [];
            }

            indexes.Add(i);
        }

        return [.. dependsOn.Select(names => names
            .SelectMany(name => byKey.TryGetValue(name, out var indexes) ? indexes : [])
            .ToArray())];
    }
}
