using System.Collections.Frozen;

namespace Relais.Protocol;

/// <summary>
/// The one conversion between <see cref="CiStatus"/> and GitLab's wire name (<c>waiting_for_resource</c>), for the
/// edges only: JSON (API, runner API, web) and SQL. Everything inside works with the typed status.
/// </summary>
public static class CiStatusNames
{
    private static readonly FrozenDictionary<string, CiStatus> ByName =
        Enum.GetValues<CiStatus>().ToFrozenDictionary(ToGitLab, StringComparer.Ordinal);

    /// <summary>Every status, in GitLab's order (created first, scheduled last).</summary>
    public static IReadOnlyList<CiStatus> All { get; } = Enum.GetValues<CiStatus>();

    /// <summary>The snake_case name GitLab uses on the wire, in the API and in our tables.</summary>
    public static string ToGitLab(this CiStatus status) => status switch
    {
        CiStatus.Created => "created",
        CiStatus.WaitingForResource => "waiting_for_resource",
        CiStatus.Preparing => "preparing",
        CiStatus.Pending => "pending",
        CiStatus.Running => "running",
        CiStatus.Success => "success",
        CiStatus.Failed => "failed",
        CiStatus.Canceling => "canceling",
        CiStatus.Canceled => "canceled",
        CiStatus.Skipped => "skipped",
        CiStatus.Manual => "manual",
        CiStatus.Scheduled => "scheduled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a GitLab status."),
    };

    /// <summary>The status a GitLab name stands for; false for anything else (exact, lower-case names only).</summary>
    public static bool TryParse(string? name, out CiStatus status)
    {
        status = default;
        return name is not null && ByName.TryGetValue(name, out status);
    }

    /// <summary>
    /// A status as stored in our own tables, which only ever hold GitLab names; anything else means the row was
    /// written by something other than this code, so it fails loudly.
    /// </summary>
    public static CiStatus FromStored(string name) =>
        TryParse(name, out var status) ? status : throw new InvalidDataException($"Not a stored status: '{name}'.");
}
