using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IEnvironmentStore"/> over SQLite or PostgreSQL (<c>environments</c>; times as UTC text).</summary>
internal sealed class SqlEnvironmentStore(IDatabase db) : IEnvironmentStore
{
    private const string Columns = "id, project_id, name, slug, external_url, tier, state, auto_stop_at, kubernetes_namespace, created_at, updated_at";

    public async Task<EnvironmentRecord> EnsureAsync(long projectId, string name, string slug, string tier, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO environments (project_id, name, slug, tier, state, created_at, updated_at)
            VALUES (@projectId, @name, @slug, @tier, 'available', @at, @at) ON CONFLICT DO NOTHING
            """,
            new { projectId, name, slug, tier, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel));
        // No conflict target: two servers (or the tracker and an API call) inserting the same name at once may collide on
        // the slug's unique index first, which a target of (project_id, name) would not absorb.
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM environments WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancel));
        return row?.Record ?? throw new InvalidOperationException($"Environment '{name}' could not be created: another environment of the project has the slug '{slug}'.");
    }

    public async Task<EnvironmentRecord?> CreateAsync(EnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO environments (project_id, name, slug, external_url, tier, state, kubernetes_namespace, created_at, updated_at)
            VALUES (@ProjectId, @Name, @Slug, @ExternalUrl, @Tier, @State, @KubernetesNamespace, @at, @at) ON CONFLICT DO NOTHING RETURNING id
            """,
            new { environment.ProjectId, environment.Name, environment.Slug, environment.ExternalUrl, environment.Tier, environment.State, environment.KubernetesNamespace, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel));
        return id is { } made ? await GetAsync(made, cancel) : null;
    }

    public async Task<EnvironmentRecord?> GetAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM environments WHERE id = @id", new { id }, cancellationToken: cancel)))?.Record;
    }

    public async Task<EnvironmentRecord?> FindAsync(long projectId, string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM environments WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancel)))?.Record;
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> ListAsync(long projectId, EnvironmentFilter filter, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = "project_id = @projectId"
            + (filter.Name is null ? "" : " AND name = @Name")
            + (filter.Search is null ? "" : " AND LOWER(name) LIKE @search ESCAPE '\\'")
            + (filter.State is null ? "" : " AND state = @State");
        var search = filter.Search is { } s ? "%" + s.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%" : null;
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM environments WHERE {where} ORDER BY name, id", new { projectId, filter.Name, search, filter.State }, cancellationToken: cancel))).Select(r => r.Record)];
    }

    public async Task<bool> UpdateAsync(EnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE environments SET external_url = @ExternalUrl, tier = @Tier, kubernetes_namespace = @KubernetesNamespace, updated_at = @at WHERE id = @Id",
            new { environment.Id, environment.ExternalUrl, environment.Tier, environment.KubernetesNamespace, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> SetStateAsync(long id, string state, DateTimeOffset now, string? from = null, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE environments SET state = @state, updated_at = @at WHERE id = @id" + (from is null ? "" : " AND state = @from"),
            new { id, state, from, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task SetAutoStopAtAsync(long id, DateTimeOffset? at, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE environments SET auto_stop_at = @stopAt, updated_at = @nowText WHERE id = @id",
            new { id, stopAt = at is { } t ? SqlKeyStore.StoredTime(t) : null, nowText = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> ListAutoStopDueAsync(DateTimeOffset now, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM environments WHERE state = 'available' AND auto_stop_at IS NOT NULL AND auto_stop_at <= @nowText ORDER BY auto_stop_at, id LIMIT @limit",
            new { nowText = SqlKeyStore.StoredTime(now), limit },
            cancellationToken: cancel))).Select(r => r.Record)];
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM environments WHERE id = @id", new { id }, cancellationToken: cancel)) == 1;
    }

    /// <summary>A row as read, its times as text.</summary>
    private sealed class Row
    {
        public long Id { get; init; }

        public long ProjectId { get; init; }

        public string Name { get; init; } = "";

        public string Slug { get; init; } = "";

        public string? ExternalUrl { get; init; }

        public string Tier { get; init; } = "";

        public string State { get; init; } = "";

        public string? AutoStopAt { get; init; }

        public string? KubernetesNamespace { get; init; }

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";

        public EnvironmentRecord Record => new()
        {
            Id = Id,
            ProjectId = ProjectId,
            Name = Name,
            Slug = Slug,
            ExternalUrl = ExternalUrl,
            Tier = Tier,
            State = State,
            AutoStopAt = AutoStopAt is { } stop ? StoredTimes.Parse(stop) : null,
            KubernetesNamespace = KubernetesNamespace,
            CreatedAt = StoredTimes.Parse(CreatedAt),
            UpdatedAt = StoredTimes.Parse(UpdatedAt),
        };
    }
}
