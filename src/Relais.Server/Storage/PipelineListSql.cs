using System.Text;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>The <c>WHERE</c> and <c>ORDER BY</c> of a <see cref="PipelineFilter"/> over the <c>pipelines</c> table, and their parameters.</summary>
internal static class PipelineListSql
{
    /// <summary>The columns a list may be ordered by (GitLab's <c>order_by</c> values), each a column of the table.</summary>
    public static readonly IReadOnlyList<string> OrderColumns = ["id", "status", "ref", "updated_at", "user_id"];

    public static string Where(PipelineFilter f, SqlDialect sql)
    {
        var w = new StringBuilder("project_id = @projectId");
        if (!f.IncludeChildren && f.Source != "parent_pipeline")
        {
            w.Append(" AND (source IS NULL OR source <> 'parent_pipeline')");
        }

        Add(w, f.MatchesNothing, " AND 1 = 0");
        Add(w, f.Statuses.Count > 0, " AND status " + sql.InList("Statuses"));
        Add(w, f.Ref is not null, " AND ref = @Ref");
        Add(w, f.Sha is not null, " AND sha = @Sha");
        Add(w, f.Source is not null, " AND COALESCE(source, 'push') = @Source");
        Add(w, f.UserId is not null, " AND user_id = @UserId");
        Add(w, f.YamlErrors is true, " AND diagnostics_json IS NOT NULL");
        Add(w, f.YamlErrors is false, " AND diagnostics_json IS NULL");
        Add(w, f.Name is not null, " AND name = @Name");
        Add(w, f.UpdatedAfter is not null, " AND updated_at > @UpdatedAfter");
        Add(w, f.UpdatedBefore is not null, " AND updated_at < @UpdatedBefore");
        Add(w, f.CreatedAfter is not null, " AND created_at > @CreatedAfter");
        Add(w, f.CreatedBefore is not null, " AND created_at < @CreatedBefore");
        if (f.LatestOfRefs is { } refs)
        {
            // GitLab's branches/tags scopes: the newest pipeline of each branch (or tag) that exists.
            w.Append(refs.Count == 0 ? " AND 1 = 0" : $"""
                 AND id IN (SELECT MAX(l.id) FROM pipelines l WHERE l.project_id = @projectId AND l.tag = @LatestOfTags
                   AND (l.source IS NULL OR l.source <> 'parent_pipeline') AND l.ref {sql.InList("LatestOfRefs")} GROUP BY l.ref)
                """);
        }

        return w.ToString();
    }

    public static string Order(PipelineFilter f)
    {
        var column = OrderColumns.Contains(f.OrderBy) ? f.OrderBy : "id";
        var direction = f.Ascending ? "ASC" : "DESC";
        return column == "id" ? $"id {direction}" : $"{column} {direction}, id {direction}";
    }

    public static object Arguments(long projectId, PipelineFilter f) => new
    {
        projectId,
        Statuses = f.Statuses.Select(s => s.ToGitLab()).ToArray(),
        f.Ref,
        f.Sha,
        f.Source,
        f.UserId,
        f.Name,
        UpdatedAfter = f.UpdatedAfter?.ToUniversalTime(),
        UpdatedBefore = f.UpdatedBefore?.ToUniversalTime(),
        CreatedAfter = f.CreatedAfter?.ToUniversalTime(),
        CreatedBefore = f.CreatedBefore?.ToUniversalTime(),
        LatestOfRefs = f.LatestOfRefs?.ToArray() ?? [],
        f.LatestOfTags,
        f.Offset,
        f.Limit,
    };

    private static void Add(StringBuilder where, bool when, string condition)
    {
        if (when)
        {
            where.Append(condition);
        }
    }
}
