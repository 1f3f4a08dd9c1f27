using Dapper;

namespace Relais.Server.Storage;

/// <summary>What the REST API reads and writes: users, project lists, pipeline and job pages, CI/CD variables, stored CI configurations.</summary>
internal sealed partial class SqlStore
{
    private const string ProjectColumns = "id, path, default_branch, visibility, created_at";

    public async Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ProjectRecord>($"SELECT {ProjectColumns} FROM projects ORDER BY id DESC")];
    }

    public async Task<ProjectRecord?> FindProjectAsync(string path, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ProjectRecord>($"SELECT {ProjectColumns} FROM projects WHERE path = @path", new { path });
    }

    public async Task<ProjectRecord?> CreateProjectAsync(string path, string defaultBranch, string visibility, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(
            """
            INSERT INTO projects (path, default_branch, visibility, created_at) VALUES (@path, @defaultBranch, @visibility, @now)
            ON CONFLICT (path) DO NOTHING RETURNING id
            """,
            new { path, defaultBranch, visibility, now });
        if (id is null)
        {
            return null;
        }

        await ProtectDefaultBranchAsync(c, id.Value, defaultBranch, now);
        return await c.QuerySingleAsync<ProjectRecord>($"SELECT {ProjectColumns} FROM projects WHERE id = @id", new { id });
    }

    public async Task SetProjectVisibilityAsync(long projectId, string visibility, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync("UPDATE projects SET visibility = @visibility WHERE id = @projectId", new { projectId, visibility });
    }

    public async Task<Page<PipelineRecord>> ListPipelinesAsync(long projectId, ListQuery query, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = "project_id = @projectId"
            + (query.Ref is null ? "" : " AND ref = @Ref")
            + (query.Statuses.Count == 0 ? "" : " AND status " + _sql.InList("Statuses"));
        var args = new { projectId, query.Ref, Statuses = StoredNames(query.Statuses), query.Offset, query.Limit };
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM pipelines WHERE {where}", args);
        var items = await c.QueryAsync<PipelineRecord>(
            $"SELECT id, project_id, ref, sha, status AS stored_status, '' AS context_json, created_at, updated_at FROM pipelines WHERE {where} ORDER BY id DESC LIMIT @Limit OFFSET @Offset",
            args);
        return new Page<PipelineRecord>([.. items], total);
    }

    public async Task<IReadOnlyList<JobRecord>> JobsOfPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE pipeline_id = @pipelineId ORDER BY id", new { pipelineId })];
    }

    public async Task<Page<JobRecord>> ListProjectJobsAsync(long projectId, ListQuery query, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = "project_id = @projectId" + (query.Statuses.Count == 0 ? "" : " AND status " + _sql.InList("Statuses"));
        var args = new { projectId, Statuses = StoredNames(query.Statuses), query.Offset, query.Limit };
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM jobs WHERE {where}", args);
        var items = await c.QueryAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE {where} ORDER BY id DESC LIMIT @Limit OFFSET @Offset", args);
        return new Page<JobRecord>([.. items], total);
    }

    public async Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<VariableRecord>(
            "SELECT project_id, key, value, variable_type, protected, masked, raw FROM project_variables WHERE project_id = @projectId ORDER BY key",
            new { projectId })).Select(Opened)];
    }

    public async Task<VariableRecord?> GetVariableAsync(long projectId, string key, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var stored = await c.QuerySingleOrDefaultAsync<VariableRecord>(
            "SELECT project_id, key, value, variable_type, protected, masked, raw FROM project_variables WHERE project_id = @projectId AND key = @key",
            new { projectId, key });
        return stored is null ? null : Opened(stored);
    }

    public async Task<bool> CreateVariableAsync(VariableRecord variable, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(
            """
            INSERT INTO project_variables (project_id, key, value, variable_type, protected, masked, raw, created_at)
            VALUES (@ProjectId, @Key, @Value, @VariableType, @Protected, @Masked, @Raw, @now)
            ON CONFLICT (project_id, key) DO NOTHING
            """,
            new { variable.ProjectId, variable.Key, Value = Sealed(variable), variable.VariableType, variable.Protected, variable.Masked, variable.Raw, now }) == 1;
    }

    public async Task<bool> UpdateVariableAsync(VariableRecord variable, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(
            """
            UPDATE project_variables SET value = @Value, variable_type = @VariableType, protected = @Protected, masked = @Masked, raw = @Raw
            WHERE project_id = @ProjectId AND key = @Key
            """,
            variable with { Value = Sealed(variable) }) == 1;
    }

    /// <summary>A masked value as it is stored: encrypted (see <see cref="Security.SecretBox"/>).</summary>
    private string Sealed(VariableRecord variable) => variable.Masked ? secrets.Protect(variable.Value) : variable.Value;

    private VariableRecord Opened(VariableRecord stored) =>
        Security.SecretBox.IsProtected(stored.Value) ? stored with { Value = secrets.Unprotect(stored.Value) } : stored;

    public async Task<bool> DeleteVariableAsync(long projectId, string key, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync("DELETE FROM project_variables WHERE project_id = @projectId AND key = @key", new { projectId, key }) == 1;
    }

    public async Task<string?> GetCiConfigAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<string>("SELECT content FROM project_ci_configs WHERE project_id = @projectId", new { projectId });
    }

    public async Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<RunnerRecord>("SELECT id, description, tags, run_untagged, paused, contacted_at FROM runners ORDER BY id")];
    }
}
