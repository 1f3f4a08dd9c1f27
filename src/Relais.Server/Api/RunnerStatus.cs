using System.Globalization;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's runner <c>status</c>, from when it last called: <c>online</c> (within two hours), <c>offline</c>, <c>stale</c>
/// (no call for a week, or created a week ago and never called) or <c>never_contacted</c>. Pausing is not a status (GitLab
/// 16's rule): it is the <c>paused</c> field.
/// </summary>
internal static class RunnerStatus
{
    public static readonly TimeSpan OnlineWindow = TimeSpan.FromHours(2);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    /// <summary>The values GitLab accepts in the <c>status</c> filter (<c>active</c> and <c>paused</c> are its deprecated ones).</summary>
    public static IReadOnlySet<string> Filters { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "online", "offline", "stale", "never_contacted", "active", "paused",
    };

    public static DateTimeOffset? ContactedAt(RunnerRecord r) => Parse(r.ContactedAt);

    public static bool IsOnline(RunnerRecord r, DateTimeOffset now) => ContactedAt(r) is { } c && now - c < OnlineWindow;

    public static string Of(RunnerRecord r, DateTimeOffset now) => ContactedAt(r) switch
    {
        null => Parse(r.CreatedAt) is { } created && now - created > StaleAfter ? "stale" : "never_contacted",
        { } c when now - c < OnlineWindow => "online",
        { } c when now - c > StaleAfter => "stale",
        _ => "offline",
    };

    /// <summary>Whether <paramref name="r"/> passes the <c>status</c> filter <paramref name="filter"/> (one of <see cref="Filters"/>).</summary>
    public static bool Matches(RunnerRecord r, string filter, DateTimeOffset now) => filter switch
    {
        "active" => !r.Paused,
        "paused" => r.Paused,
        _ => Of(r, now) == filter,
    };

    private static DateTimeOffset? Parse(string? stored) =>
        DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
