namespace Relais.Server.Storage;

/// <summary>A project's CI/CD variables (masked values are stored encrypted). Every method may be called concurrently; each call is its own transaction.</summary>
public interface IVariableStore
{
    Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId, CancellationToken cancel = default);

    Task<VariableRecord?> GetVariableAsync(long projectId, string key, CancellationToken cancel = default);

    /// <summary>Inserts the variable; false when the key exists.</summary>
    Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Replaces the variable; false when there is none with that key.</summary>
    Task<bool> UpdateVariableAsync(VariableRecord variable, CancellationToken cancel = default);

    Task<bool> DeleteVariableAsync(long projectId, string key, CancellationToken cancel = default);

    /// <summary>One encrypted masked value, if any (the start checks that the key opens it).</summary>
    Task<string?> AnySealedValueAsync(CancellationToken cancel = default);
}
