using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Relais.Engine;

namespace Relais.Server.Storage;

/// <summary>
/// Resource groups for the driver (<see cref="Driver.IResourceGroupStore"/>): one row per (project, group) in
/// <c>resource_groups</c>, the whole <see cref="ResourceGroupState"/> (mode, holder, claims) in <c>state_json</c> and
/// the holder copied into its own columns for <see cref="ResourceHoldersAsync"/>. Each update is one transaction that
/// creates the row if needed and locks it first (PostgreSQL <c>FOR UPDATE</c>; SQLite serialises writers anyway), so
/// coordinators sharing the database take turns on a group. A row of an older version (holder columns and
/// <c>resource_group_waiting</c> rows, no state) is read as that holder and those ready claims in arrival order,
/// and rewritten by its first update.
/// </summary>
internal sealed partial class SqlPipelineStore
{
    private static readonly JsonSerializerOptions GroupJson = new(JsonSerializerDefaults.Web);

    private string RowLock => _sql.Name == SqlDialect.Postgres.Name ? " FOR UPDATE" : "";

    public async Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<(long ProjectId, string Name, long PipelineId, string Job, long Attempt)>(
            """
            SELECT project_id, name, holder_pipeline_id, holder_job, holder_attempt FROM resource_groups
            WHERE holder_pipeline_id IS NOT NULL ORDER BY project_id, name
            """)).Select(r => new ResourceHolder(r.ProjectId, r.Name, new GroupClaim(r.PipelineId, r.Job, (int)r.Attempt)))];
    }

    public async Task<ResourceGroupStep> UpdateAsync(long pipelineId, string group, Func<ResourceGroupState, ResourceGroupStep> decide, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(decide);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(
            "INSERT INTO resource_groups (project_id, name) SELECT project_id, @group FROM pipelines WHERE id = @pipelineId ON CONFLICT DO NOTHING",
            new { pipelineId, group },
            tx);
        var row = await c.QuerySingleOrDefaultAsync<(long ProjectId, long? PipelineId, string? Job, long? Attempt, string? StateJson)?>(
            $"""
            SELECT project_id, holder_pipeline_id, holder_job, holder_attempt, state_json FROM resource_groups
            WHERE project_id = (SELECT project_id FROM pipelines WHERE id = @pipelineId) AND name = @group{RowLock}
            """,
            new { pipelineId, group },
            tx) ?? throw new InvalidOperationException($"pipeline {pipelineId} does not exist: resource group '{group}' has no project");
        var legacy = row.StateJson is null && await HasLegacyWaitingAsync(c, tx, row.ProjectId, group);
        var before = row.StateJson is { } json ? ReadGroup(json, group) : await ReadLegacyGroupAsync(c, tx, row, group, legacy);
        var step = decide(before);
        if (!ReferenceEquals(step.State, before) || row.StateJson is null)
        {
            var holder = step.State.Holder;
            await c.ExecuteAsync(
                """
                UPDATE resource_groups SET state_json = @state, holder_pipeline_id = @pipelineId, holder_job = @job, holder_attempt = @attempt
                WHERE project_id = @projectId AND name = @group
                """,
                new { state = WriteGroup(step.State), pipelineId = holder?.PipelineId, job = holder?.Job, attempt = holder?.Attempt, projectId = row.ProjectId, group },
                tx);
        }

        if (legacy)
        {
            await c.ExecuteAsync("DELETE FROM resource_group_waiting WHERE project_id = @projectId AND name = @group", new { projectId = row.ProjectId, group }, tx);
        }

        await tx.CommitAsync(cancel);
        return step;
    }

    private static async Task<bool> HasLegacyWaitingAsync(DbConnection c, DbTransaction tx, long projectId, string group) =>
        await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM resource_group_waiting WHERE project_id = @projectId AND name = @group", new { projectId, group }, tx) > 0;

    /// <summary>A group stored before its state was (or never stored): its holder, and its waiting claims as ready ones in arrival order.</summary>
    private static async Task<ResourceGroupState> ReadLegacyGroupAsync(
        DbConnection c, DbTransaction tx, (long ProjectId, long? PipelineId, string? Job, long? Attempt, string? StateJson) row, string group, bool waiting)
    {
        var state = new ResourceGroupState
        {
            Key = group,
            Holder = row.PipelineId is { } p ? new ResourceClaimant(p, row.Job!, (int)(row.Attempt ?? 1)) : null,
        };
        if (!waiting)
        {
            return state;
        }

        var claims = (await c.QueryAsync<(long PipelineId, string Job, long Attempt)>(
                "SELECT pipeline_id, job, attempt FROM resource_group_waiting WHERE project_id = @projectId AND name = @group ORDER BY id",
                new { projectId = row.ProjectId, group },
                tx))
            .Select((w, i) => new ResourceClaim(new ResourceClaimant(w.PipelineId, w.Job, (int)w.Attempt), Ready: true, i))
            .ToImmutableList();
        return state with { Claims = claims, NextSequence = claims.Count };
    }

    private static string WriteGroup(ResourceGroupState state) => JsonSerializer.Serialize(
        new StoredGroup(
            state.Mode,
            state.Holder is { } h ? new StoredClaim(h.PipelineId, h.Job, h.Attempt, true, 0) : null,
            [.. state.Claims.Select(c => new StoredClaim(c.Claimant.PipelineId, c.Claimant.Job, c.Claimant.Attempt, c.Ready, c.Sequence))],
            state.NextSequence),
        GroupJson);

    private static ResourceGroupState ReadGroup(string json, string group)
    {
        var stored = JsonSerializer.Deserialize<StoredGroup>(json, GroupJson) ?? throw new JsonException("the stored resource group is null");
        return new ResourceGroupState
        {
            Key = group,
            Mode = stored.Mode,
            Holder = stored.Holder is { } h ? new ResourceClaimant(h.Pipeline, h.Job, h.Attempt) : null,
            Claims = [.. (stored.Claims ?? []).Select(c => new ResourceClaim(new ResourceClaimant(c.Pipeline, c.Job, c.Attempt), c.Ready, c.Sequence))],
            NextSequence = stored.Next,
        };
    }

    /// <summary>The stored shape of a group (kept apart from the engine's types so they may change freely).</summary>
    private sealed record StoredGroup(ResourceProcessMode Mode, StoredClaim? Holder, StoredClaim[]? Claims, long Next);

    private sealed record StoredClaim(long Pipeline, string Job, int Attempt, bool Ready, long Sequence);
}

/// <summary>A job attempt that holds, or waits for, a resource group.</summary>
public sealed record GroupClaim(long PipelineId, string Job, int Attempt);

/// <summary>The holder of one resource group.</summary>
public sealed record ResourceHolder(long ProjectId, string Group, GroupClaim Claim);
