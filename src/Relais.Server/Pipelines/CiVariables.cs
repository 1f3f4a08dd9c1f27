using Relais.Pipelines.Context;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// The CI/CD variables a project's pipeline starts with, in GitLab's precedence (later wins): the instance's, then its
/// groups' from the top-level group down to the nearest subgroup, then the project's (pipeline, trigger, schedule and
/// manual variables come after these). Protected ones only on a protected ref. Within a level, a variable's
/// environment scope orders it by <see cref="EnvironmentScopes.Specificity"/>, so the most specific scope that matches a
/// job's environment wins at dispatch.
/// </summary>
public static class CiVariables
{
    public static async Task<IReadOnlyList<ContextVariable>> ForProjectAsync(IVariableStore store, ProjectRecord project, bool refProtected)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(project);
        var instance = await store.ListVariablesAsync(VariableOwner.Instance);
        var groups = await store.GroupVariablesAboveAsync(project.Path);
        var own = await store.ListVariablesAsync(VariableOwner.Project(project.Id));
        var levels = new List<IEnumerable<VariableRecord>> { instance };
        levels.AddRange(groups.GroupBy(g => g.GroupPath).OrderBy(g => g.Key.Length).Select(g => g.Select(x => x.Variable)));
        levels.Add(own);
        return [.. levels.SelectMany(level => level
            .Where(v => refProtected || !v.Protected)
            .OrderBy(v => EnvironmentScopes.Specificity(v.EnvironmentScope))
            .Select(v => new ContextVariable(v.Key, v.Value, v.Masked, v.Protected, v.VariableType == "file", v.Raw, v.EnvironmentScope)))];
    }
}
