using System.Globalization;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reads <c>GET /projects/:id/deployments</c>'s parameters into a <see cref="DeploymentFilter"/> with GitLab's rules:
/// <c>order_by</c> one of id, iid, created_at, updated_at, finished_at, ref (default id), <c>sort</c> asc or desc
/// (default asc); the <c>updated_*</c> and <c>finished_*</c> filters cannot be combined; <c>finished_*</c> must come with
/// <c>order_by=finished_at</c> and <c>status=success</c> (and <c>order_by=finished_at</c> with a <c>finished_*</c>
/// filter); an <c>updated_*</c> filter orders by <c>updated_at</c> whatever <c>order_by</c> says. The environment is
/// given by name; the caller resolves it to an id.
/// </summary>
internal static class DeploymentListInput
{
    private static readonly string[] OrderValues = ["id", "iid", "created_at", "updated_at", "ref", "finished_at"];

    /// <summary>The filter, or the error GitLab answers: <see cref="Refusal.Field"/> set for a parameter that is not valid (400 <c>{"error": …}</c>), else a bad request's detail.</summary>
    public static (DeploymentFilter? Filter, Refusal? Refused) Read(IReadOnlyDictionary<string, string> q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var orderBy = Value(q, "order_by") ?? "id";
        if (!OrderValues.Contains(orderBy))
        {
            return (null, new Refusal("order_by", "order_by does not have a valid value"));
        }

        var sort = Value(q, "sort") ?? "asc";
        if (sort is not ("asc" or "desc"))
        {
            return (null, new Refusal("sort", "sort does not have a valid value"));
        }

        var status = Value(q, "status");
        if (status is not null && !DeploymentStatuses.IsKnown(status))
        {
            return (null, new Refusal("status", "status does not have a valid value"));
        }

        var times = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var name in (string[])["updated_after", "updated_before", "finished_after", "finished_before"])
        {
            if (Value(q, name) is not { } text)
            {
                times[name] = null;
            }
            else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                times[name] = at;
            }
            else
            {
                return (null, new Refusal(name, name + " is invalid"));
            }
        }

        var byUpdated = times["updated_after"] is not null || times["updated_before"] is not null;
        var byFinished = times["finished_after"] is not null || times["finished_before"] is not null;
        if (byUpdated && byFinished)
        {
            return (null, new Refusal(null, "Both `updated_at` filter and `finished_at` filter can not be specified"));
        }

        if (byFinished != (orderBy == "finished_at"))
        {
            return (null, new Refusal(null, "`finished_at` filter and `finished_at` sorting must be paired"));
        }

        if (byFinished && status != DeploymentStatuses.Success)
        {
            return (null, new Refusal(null, "`finished_at` filter must be combined with `success` status filter."));
        }

        return (new DeploymentFilter
        {
            Status = status,
            UpdatedAfter = times["updated_after"],
            UpdatedBefore = times["updated_before"],
            FinishedAfter = times["finished_after"],
            FinishedBefore = times["finished_before"],
            OrderBy = byUpdated ? "updated_at" : orderBy is "created_at" or "iid" ? "id" : orderBy,
            Ascending = sort == "asc",
        }, null);
    }

    private static string? Value(IReadOnlyDictionary<string, string> q, string key) =>
        q.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    /// <summary>A refused list call: a parameter that is not valid (<see cref="Field"/> set), or a combination GitLab refuses.</summary>
    public sealed record Refusal(string? Field, string Message);
}
