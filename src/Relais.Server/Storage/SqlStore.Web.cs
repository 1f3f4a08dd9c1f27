using System.Globalization;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The web UI's queries: passwords, cookie sessions, pipeline summaries for lists, jobs on runners.</summary>
internal sealed partial class SqlStore
{
    public async Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(
            "UPDATE users SET password_hash = @passwordHash WHERE username = @username AND password_hash IS NULL",
            new { username, passwordHash }) == 1;
    }

    public async Task<SignInRecord?> FindSignInAsync(string username, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SignInRecord>(
            "SELECT id, username, is_admin, password_hash FROM users WHERE username = @username", new { username });
    }

    public async Task CreateSessionAsync(string tokenHash, long userId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(
            "INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @now, @expiresAt)",
            new { tokenHash, userId, now, expiresAt });
    }

    public async Task<UserRecord?> FindUserBySessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(
            """
            SELECT u.id, u.username, u.is_admin FROM users u JOIN web_sessions s ON s.user_id = u.id
            WHERE s.token_hash = @tokenHash AND s.expires_at > @now
            """,
            new { tokenHash, now });
    }

    public async Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync("DELETE FROM web_sessions WHERE token_hash = @tokenHash", new { tokenHash });
    }

    public async Task<IReadOnlyList<PipelineSummaryRecord>> PipelineSummariesAsync(IReadOnlyCollection<long> pipelineIds, CancellationToken cancel = default)
    {
        if (pipelineIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        var ids = pipelineIds.ToArray();
        var rows = await c.QueryAsync<SummaryRow>(
            $"""
            SELECT p.id, p.context_json, (SELECT MIN(j.started_at) FROM jobs j WHERE j.pipeline_id = p.id) AS started_at,
                (SELECT MAX(j.finished_at) FROM jobs j WHERE j.pipeline_id = p.id) AS finished_at
            FROM pipelines p WHERE p.id {_sql.InList("ids")}
            """,
            new { ids });
        return [.. rows.Select(r => new PipelineSummaryRecord(r.Id, r.ContextJson ?? "", Time(r.StartedAt), Time(r.FinishedAt)))];
    }

    public async Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<RunnerJobRecord>(
            """
            SELECT j.id, j.name, j.status AS stored_status, j.runner_id, p.path AS project_path FROM jobs j JOIN projects p ON p.id = j.project_id
            WHERE j.status IN ('running', 'canceling') AND j.runner_id IS NOT NULL ORDER BY j.id
            """)];
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
