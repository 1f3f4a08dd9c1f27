using Dapper;
using System.Globalization;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IPipelineStore"/> over SQLite or PostgreSQL (the SQL is shared; <see cref="SqlDialect"/> holds the
/// differences): pipeline rows and lists here; job rows in <c>SqlPipelineStore.Jobs.cs</c>; engine states, transitions
/// and the claim in <c>SqlPipelineStore.States.cs</c>; resource groups in <c>SqlPipelineStore.ResourceGroups.cs</c>.
/// </summary>
internal sealed partial class SqlPipelineStore(IDatabase db) : IPipelineStore
{
    private readonly SqlDialect _sql = db.Dialect;

    internal const string PipelineColumns =
        "id, project_id, ref, sha, status AS stored_status, version, state_json IS NOT NULL AS has_state, context_json, diagnostics_json, user_id, source, name, created_at, updated_at";

    /// <summary>What a list shows of each pipeline (not its state).</summary>
    private const string ListedColumns =
        "id, project_id, ref, sha, status AS stored_status, context_json, diagnostics_json, user_id, source, name, created_at, updated_at";

    internal const string JobColumns =
        "id, pipeline_id, project_id, name, stage, attempt, status AS stored_status, tags, runner_id, failure_reason, exit_code, erased_at";

    /// <summary>Statuses as the tables store them (GitLab's names), for <c>IN</c> lists.</summary>
    private static string[] StoredNames(IEnumerable<CiStatus> statuses) => [.. statuses.Select(s => s.ToGitLab())];

    public async Task<long> InsertPipelineAsync(
        long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now, long? userId = null, string? variablesJson = null, CancellationToken cancel = default)
    {
        var (source, tag) = StoredPipelineColumns.Of(contextJson);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            INSERT INTO pipelines (project_id, ref, sha, status, context_json, user_id, source, tag, variables_json, created_at, updated_at)
            VALUES (@projectId, @gitRef, @sha, 'created', @contextJson{_sql.Json}, @userId, @source, @tag, @variablesJson, @now, @now) RETURNING id
            """,
            new { projectId, gitRef, sha, contextJson, userId, source, tag, variablesJson, now },
            cancellationToken: cancel));
    }

    public async Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipelines SET status = 'failed', diagnostics_json = @diagnosticsJson, updated_at = @now WHERE id = @pipelineId",
            new { pipelineId, diagnosticsJson, now },
            cancellationToken: cancel));
    }

    public async Task SkipPipelineAsync(long pipelineId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipelines SET status = 'skipped', updated_at = @now WHERE id = @pipelineId AND state_json IS NULL",
            new { pipelineId, now },
            cancellationToken: cancel));
    }

    public async Task DeleteUnstartedPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM pipelines WHERE id = @pipelineId AND state_json IS NULL", new { pipelineId }, cancellationToken: cancel));
    }

    public async Task<PipelineRecord?> GetPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PipelineRecord>(new CommandDefinition($"SELECT {PipelineColumns} FROM pipelines WHERE id = @pipelineId", new { pipelineId }, cancellationToken: cancel));
    }

    public Task<Page<PipelineRecord>> ListPipelinesAsync(long projectId, ListQuery query, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return FindPipelinesAsync(projectId, new PipelineFilter(query.Offset, query.Limit) { Statuses = query.Statuses, Ref = query.Ref, Sha = query.Sha, IncludeChildren = true }, cancel);
    }

    public async Task<Page<PipelineRecord>> FindPipelinesAsync(long projectId, PipelineFilter filter, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = PipelineListSql.Where(filter, _sql);
        var args = PipelineListSql.Arguments(projectId, filter);
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM pipelines WHERE {where}", args, cancellationToken: cancel));
        var items = await c.QueryAsync<PipelineRecord>(new CommandDefinition(
            $"SELECT {ListedColumns} FROM pipelines WHERE {where} ORDER BY {PipelineListSql.Order(filter)} LIMIT @Limit OFFSET @Offset",
            args,
            cancellationToken: cancel));
        return new Page<PipelineRecord>([.. items], total);
    }

    public async Task<string?> PipelineVariablesAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT variables_json FROM pipelines WHERE id = @pipelineId", new { pipelineId }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<PipelineSummaryRecord>> PipelineSummariesAsync(IReadOnlyCollection<long> pipelineIds, CancellationToken cancel = default)
    {
        if (pipelineIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        var ids = pipelineIds.ToArray();
        var rows = await c.QueryAsync<SummaryRow>(new CommandDefinition(
            $"""
            SELECT p.id, p.context_json, (SELECT MIN(j.started_at) FROM jobs j WHERE j.pipeline_id = p.id) AS started_at,
                (SELECT MAX(j.finished_at) FROM jobs j WHERE j.pipeline_id = p.id) AS finished_at
            FROM pipelines p WHERE p.id {_sql.InList("ids")}
            """,
            new { ids },
            cancellationToken: cancel));
        return [.. rows.Select(r => new PipelineSummaryRecord(r.Id, r.ContextJson ?? "", Time(r.StartedAt), Time(r.FinishedAt)))];
    }

    /// <summary>A time column as read: text on SQLite, a <see cref="DateTime"/> (UTC) on PostgreSQL.</summary>
    private static DateTimeOffset? Time(object? value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };

    private sealed class SummaryRow
    {
        public long Id { get; init; }

        public string? ContextJson { get; init; }

        public object? StartedAt { get; init; }

        public object? FinishedAt { get; init; }
    }
}
