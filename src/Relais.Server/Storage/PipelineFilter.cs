using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// What <see cref="IPipelineStore.FindPipelinesAsync"/> lists: GitLab's pipeline list filters (every one optional; null
/// means any), the order, and one page. Filtering, counting and ordering all happen in SQL, so the total and the pages agree.
/// </summary>
public sealed record PipelineFilter(int Offset, int Limit)
{
    /// <summary>Only these statuses (empty: any).</summary>
    public IReadOnlyList<CiStatus> Statuses { get; init; } = [];

    public string? Ref { get; init; }

    public string? Sha { get; init; }

    /// <summary>GitLab's source name (<c>push</c>, <c>web</c>, …).</summary>
    public string? Source { get; init; }

    /// <summary>Child pipelines (source <c>parent_pipeline</c>) are listed only when asked for by source, as GitLab does; true lists them anyway.</summary>
    public bool IncludeChildren { get; init; }

    /// <summary>Only pipelines this user caused; <see cref="NoUser"/> (a username that matches nobody) lists none.</summary>
    public long? UserId { get; init; }

    /// <summary>The <see cref="UserId"/> of a username no user has: matches no pipeline.</summary>
    public const long NoUser = -1;

    /// <summary>True: only pipelines whose configuration failed; false: only the others.</summary>
    public bool? YamlErrors { get; init; }

    /// <summary>The <c>workflow:name</c> the pipeline got, exactly.</summary>
    public string? Name { get; init; }

    public DateTimeOffset? UpdatedAfter { get; init; }

    public DateTimeOffset? UpdatedBefore { get; init; }

    public DateTimeOffset? CreatedAfter { get; init; }

    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>
    /// GitLab's <c>branches</c>/<c>tags</c> scopes: only the newest pipeline of each of these refs, among branch pipelines
    /// (<see cref="LatestOfTags"/> false) or tag pipelines (true). Null: no such scope.
    /// </summary>
    public IReadOnlyList<string>? LatestOfRefs { get; init; }

    public bool LatestOfTags { get; init; }

    /// <summary>The column to order by: <c>id</c>, <c>status</c>, <c>ref</c>, <c>updated_at</c> or <c>user_id</c> (the id breaks ties).</summary>
    public string OrderBy { get; init; } = "id";

    public bool Ascending { get; init; }

    /// <summary>Filters that cannot both hold (say, <c>scope=running</c> with <c>status=failed</c>): no pipeline matches.</summary>
    public bool MatchesNothing { get; init; }
}
