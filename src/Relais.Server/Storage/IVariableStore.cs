namespace Relais.Server.Storage;

/// <summary>
/// CI/CD variables of projects, groups and the instance (masked values are stored encrypted). A key exists once per
/// owner and environment scope. Every method may be called concurrently; each call is its own transaction.
/// </summary>
public interface IVariableStore
{
    /// <summary>The owner's variables, by key then scope.</summary>
    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(VariableOwner owner, CancellationToken cancel = default);

    /// <summary>Inserts the variable for <paramref name="owner"/>; false when its key exists in its scope.</summary>
    Task<bool> CreateVariableAsync(VariableOwner owner, VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Replaces the variable <paramref name="key"/> in <paramref name="scope"/> (its scope may change); false when there is none.</summary>
    Task<bool> UpdateVariableAsync(VariableOwner owner, string key, string scope, VariableRecord variable, CancellationToken cancel = default);

    /// <summary>Deletes the variable <paramref name="key"/> in <paramref name="scope"/>; false when there is none.</summary>
    Task<bool> DeleteVariableAsync(VariableOwner owner, string key, string scope, CancellationToken cancel = default);

    /// <summary>The variables of every group a project at <paramref name="projectPath"/> is under, at any depth.</summary>
    Task<IReadOnlyList<InheritedVariableRecord>> GroupVariablesAboveAsync(string projectPath, CancellationToken cancel = default);

    /// <summary>One encrypted masked value, if any (the start checks that the key opens it).</summary>
    Task<string?> AnySealedValueAsync(CancellationToken cancel = default);

    /// <summary>A project's variables.</summary>
    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId, CancellationToken cancel = default) =>
        ListVariablesAsync(VariableOwner.Project(projectId), cancel);

    /// <summary>A project's variable of scope <c>*</c>.</summary>
    async Task<VariableRecord?> GetVariableAsync(long projectId, string key, CancellationToken cancel = default) =>
        (await ListVariablesAsync(VariableOwner.Project(projectId), cancel)).FirstOrDefault(v => v.Key == key && v.EnvironmentScope == "*");

    /// <summary>Inserts a project's variable (<see cref="VariableRecord.ProjectId"/>); false when its key exists in its scope.</summary>
    Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default) =>
        CreateVariableAsync(VariableOwner.Project(variable?.ProjectId ?? throw new ArgumentNullException(nameof(variable))), variable, now, cancel);
}
