using Dapper;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IVariableStore"/> over SQLite or PostgreSQL: one table per level (<c>project_variables</c>,
/// <c>group_variables</c>, <c>instance_variables</c>) with the same columns; masked values are sealed with the server's
/// key on the way in and opened on the way out.
/// </summary>
internal sealed class SqlVariableStore(IDatabase db, Security.SecretBox secrets) : IVariableStore
{
    private const string Columns = "key, value, variable_type, protected, masked, raw, environment_scope, description";

    public async Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(VariableOwner owner, CancellationToken cancel = default)
    {
        var (table, column) = TableOf(owner);
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<VariableRecord>(new CommandDefinition(
            $"SELECT {OwnerId(column)} AS project_id, {Columns} FROM {table} WHERE {OwnerIs(column)} ORDER BY key, environment_scope",
            new { ownerId = owner.Id },
            cancellationToken: cancel))).Select(Opened)];
    }

    public async Task<bool> CreateVariableAsync(VariableOwner owner, VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var (table, column) = TableOf(owner);
        var ownerColumn = column is null ? "" : column + ", ";
        var ownerValue = column is null ? "" : "@ownerId, ";
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO {table} ({ownerColumn}{Columns}, created_at)
            VALUES ({ownerValue}@Key, @Value, @VariableType, @Protected, @Masked, @Raw, @EnvironmentScope, @Description, @now)
            ON CONFLICT ({ownerColumn}key, environment_scope) DO NOTHING
            """,
            new { ownerId = owner.Id, variable.Key, Value = Sealed(variable), variable.VariableType, variable.Protected, variable.Masked, variable.Raw, variable.EnvironmentScope, variable.Description, now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> UpdateVariableAsync(VariableOwner owner, string key, string scope, VariableRecord variable, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var (table, column) = TableOf(owner);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {table} SET value = @Value, variable_type = @VariableType, protected = @Protected, masked = @Masked, raw = @Raw,
                environment_scope = @EnvironmentScope, description = @Description
            WHERE {OwnerIs(column)} AND key = @key AND environment_scope = @scope
            """,
            new { ownerId = owner.Id, key, scope, Value = Sealed(variable), variable.VariableType, variable.Protected, variable.Masked, variable.Raw, variable.EnvironmentScope, variable.Description },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteVariableAsync(VariableOwner owner, string key, string scope, CancellationToken cancel = default)
    {
        var (table, column) = TableOf(owner);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {table} WHERE {OwnerIs(column)} AND key = @key AND environment_scope = @scope", new { ownerId = owner.Id, key, scope }, cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<InheritedVariableRecord>> GroupVariablesAboveAsync(string projectPath, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<GroupVariableRow>(new CommandDefinition(
            $"""
            SELECT g.full_path AS group_path, v.group_id AS project_id, {string.Join(", ", Columns.Split(", ").Select(x => "v." + x))}
            FROM group_variables v JOIN groups g ON g.id = v.group_id
            WHERE substr(@projectPath, 1, length(g.full_path) + 1) = g.full_path || '/'
            ORDER BY length(g.full_path), v.key, v.environment_scope
            """,
            new { projectPath },
            cancellationToken: cancel));
        return [.. rows.Select(r => new InheritedVariableRecord(r.GroupPath, Opened(r.ToRecord())))];
    }

    public async Task<string?> AnySealedValueAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            """
            SELECT value FROM project_variables WHERE masked = TRUE AND value LIKE 'relais:enc:%'
            UNION ALL SELECT value FROM group_variables WHERE masked = TRUE AND value LIKE 'relais:enc:%'
            UNION ALL SELECT value FROM instance_variables WHERE masked = TRUE AND value LIKE 'relais:enc:%'
            LIMIT 1
            """,
            cancellationToken: cancel));
    }

    /// <summary>The table and owner column of a level (no column for the instance's variables).</summary>
    private static (string Table, string? Column) TableOf(VariableOwner owner) => owner.Level switch
    {
        VariableLevel.Project => ("project_variables", "project_id"),
        VariableLevel.Group => ("group_variables", "group_id"),
        _ => ("instance_variables", null),
    };

    private static string OwnerIs(string? column) => column is null ? "@ownerId = 0" : column + " = @ownerId";

    private static string OwnerId(string? column) => column ?? "0";

    /// <summary>A masked value as it is stored: encrypted (see <see cref="Security.SecretBox"/>).</summary>
    private string Sealed(VariableRecord variable) => variable.Masked ? secrets.Protect(variable.Value) : variable.Value;

    private VariableRecord Opened(VariableRecord stored) =>
        Security.SecretBox.IsProtected(stored.Value) ? stored with { Value = secrets.Unprotect(stored.Value) } : stored;

    /// <summary>A group variable read with its group's path.</summary>
    private sealed record GroupVariableRow
    {
        public string GroupPath { get; init; } = "";

        public long ProjectId { get; init; }

        public string Key { get; init; } = "";

        public string Value { get; init; } = "";

        public string VariableType { get; init; } = "env_var";

        public bool Protected { get; init; }

        public bool Masked { get; init; }

        public bool Raw { get; init; }

        public string EnvironmentScope { get; init; } = "*";

        public string? Description { get; init; }

        public VariableRecord ToRecord() => new()
        {
            ProjectId = ProjectId, Key = Key, Value = Value, VariableType = VariableType, Protected = Protected, Masked = Masked, Raw = Raw,
            EnvironmentScope = EnvironmentScope, Description = Description,
        };
    }
}
