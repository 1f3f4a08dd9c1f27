using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The filters of GitLab's runner lists: <c>type</c>, <c>status</c>, <c>paused</c>, <c>tag_list</c> (every tag must be
/// on the runner) and the older <c>scope</c> (a status or <c>specific</c>/<c>shared</c>). A value GitLab would refuse
/// gives its 400 message instead of a filter.
/// </summary>
internal sealed record RunnerFilter(string? Type, string? Status, bool? Paused, IReadOnlyList<string> Tags)
{
    public static (RunnerFilter? Filter, string? Problem) From(IReadOnlyDictionary<string, string> q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var type = q.GetValueOrDefault("type");
        if (type is not null && !RunnerTypes.All.Contains(type))
        {
            return (null, "type does not have a valid value");
        }

        var status = q.GetValueOrDefault("status");
        if (status is not null && !RunnerStatus.Filters.Contains(status))
        {
            return (null, "status does not have a valid value");
        }

        var scope = q.GetValueOrDefault("scope");
        if (scope is not null)
        {
            if (scope == "specific" || scope == "shared")
            {
                type ??= scope == "shared" ? RunnerTypes.Instance : null;
            }
            else if (RunnerStatus.Filters.Contains(scope))
            {
                status ??= scope;
            }
            else
            {
                return (null, "scope does not have a valid value");
            }
        }

        bool? paused = null;
        if (q.TryGetValue("paused", out var p))
        {
            paused = p.ToUpperInvariant() switch
            {
                "TRUE" or "1" or "YES" or "T" => true,
                "FALSE" or "0" or "NO" or "F" => false,
                _ => null,
            };
            if (paused is null)
            {
                return (null, "paused is invalid");
            }
        }

        var filter = new RunnerFilter(type, status, paused, Storage.Tags.Split(q.GetValueOrDefault("tag_list")))
        {
            SpecificOnly = scope == "specific",
        };
        return (filter, null);
    }

    /// <summary>The older <c>scope=specific</c>: group and project runners only.</summary>
    public bool SpecificOnly { get; init; }

    public bool Matches(RunnerRecord r, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(r);
        return (Type is null || r.RunnerType == Type)
            && (!SpecificOnly || r.RunnerType != RunnerTypes.Instance)
            && (Status is null || RunnerStatus.Matches(r, Status, now))
            && (Paused is null || r.Paused == Paused)
            && Tags.All(t => r.TagList.Contains(t, StringComparer.Ordinal));
    }
}
