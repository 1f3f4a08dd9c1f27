using System.Data.Common;
using System.Text.Json;
using Dapper;
using Relais.Pipelines.Context;
using Relais.Server.Storage.Json;
using Relais.Server.Storage.State;

namespace Relais.Server.Storage;

/// <summary>
/// The columns a pipeline list filters on that the stored context and plan also hold: <c>source</c> and <c>tag</c> (from
/// the context, when the row is inserted) and <c>name</c> (<c>workflow:name</c>, from the plan, when it is written).
/// Migration 190 fills them in for the rows written before (<see cref="BackfillAsync"/>).
/// </summary>
internal static class StoredPipelineColumns
{
    public const int Version = 190;

    /// <summary>GitLab's source name and whether the pipeline is a tag's, from the stored context (push and branch when it cannot be read).</summary>
    public static (string Source, bool Tag) Of(string contextJson)
    {
        try
        {
            var context = StateJson.ReadContext(contextJson);
            return (context.Source.ToName(), context.IsTag);
        }
        catch (JsonException)
        {
            return (PipelineSource.Push.ToName(), false);
        }
    }

    /// <summary>Migration 190's code: every pipeline's source, tag and name from its context and plan, a hundred rows at a time.</summary>
    public static async Task BackfillAsync(DbConnection c, DbTransaction tx, SqlDialect sql, CancellationToken cancel)
    {
        long after = 0;
        while (true)
        {
            var rows = (await c.QueryAsync<(long Id, string ContextJson, string? PlanJson)>(new CommandDefinition(
                "SELECT id, context_json, plan_json FROM pipelines WHERE id > @after ORDER BY id LIMIT 100", new { after }, tx, cancellationToken: cancel))).ToList();
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var row in rows)
            {
                var (source, tag) = Of(row.ContextJson);
                await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE pipelines SET source = @source, tag = @tag, name = @name WHERE id = @id",
                    new { id = row.Id, source, tag, name = NameOf(row.PlanJson) },
                    tx,
                    cancellationToken: cancel));
            }

            after = rows[^1].Id;
        }
    }

    private static string? NameOf(string? planJson)
    {
        try
        {
            return planJson is null ? null : StoredStateJson.ReadPlan(planJson).Name;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
