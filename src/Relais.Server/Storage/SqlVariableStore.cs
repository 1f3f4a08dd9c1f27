using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IVariableStore"/> over SQLite or PostgreSQL: masked values are sealed with the server's key on the way in and opened on the way out.</summary>
internal sealed class SqlVariableStore(IDatabase db, Security.SecretBox secrets) : IVariableStore
{
    public async Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<VariableRecord>(new CommandDefinition(
            "SELECT project_id, key, value, variable_type, protected, masked, raw FROM project_variables WHERE project_id = @projectId ORDER BY key",
            new { projectId },
            cancellationToken: cancel))).Select(Opened)];
    }

    public async Task<VariableRecord?> GetVariableAsync(long projectId, string key, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var stored = await c.QuerySingleOrDefaultAsync<VariableRecord>(new CommandDefinition(
            "SELECT project_id, key, value, variable_type, protected, masked, raw FROM project_variables WHERE project_id = @projectId AND key = @key",
            new { projectId, key },
            cancellationToken: cancel));
        return stored is null ? null : Opened(stored);
    }

    public async Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO project_variables (project_id, key, value, variable_type, protected, masked, raw, created_at)
            VALUES (@ProjectId, @Key, @Value, @VariableType, @Protected, @Masked, @Raw, @now)
            ON CONFLICT (project_id, key) DO NOTHING
            """,
            new { variable.ProjectId, variable.Key, Value = Sealed(variable), variable.VariableType, variable.Protected, variable.Masked, variable.Raw, now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> UpdateVariableAsync(VariableRecord variable, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE project_variables SET value = @Value, variable_type = @VariableType, protected = @Protected, masked = @Masked, raw = @Raw
            WHERE project_id = @ProjectId AND key = @Key
            """,
            variable with { Value = Sealed(variable) },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteVariableAsync(long projectId, string key, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM project_variables WHERE project_id = @projectId AND key = @key", new { projectId, key }, cancellationToken: cancel)) == 1;
    }

    public async Task<string?> AnySealedValueAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition("SELECT value FROM project_variables WHERE masked = TRUE AND value LIKE 'relais:enc:%' LIMIT 1", cancellationToken: cancel));
    }

    /// <summary>A masked value as it is stored: encrypted (see <see cref="Security.SecretBox"/>).</summary>
    private string Sealed(VariableRecord variable) => variable.Masked ? secrets.Protect(variable.Value) : variable.Value;

    private VariableRecord Opened(VariableRecord stored) =>
        Security.SecretBox.IsProtected(stored.Value) ? stored with { Value = secrets.Unprotect(stored.Value) } : stored;
}
