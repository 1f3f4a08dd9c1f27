using System.Globalization;
using System.Text.Json;

namespace Relais.Server.Api;

/// <summary>One entry of GitLab's <c>deploy_access_levels</c>: a role level, a user or a group; or, on update, a stored entry to remove (<c>id</c> with <c>_destroy</c>).</summary>
internal sealed record DeployAccessEntry(int? AccessLevel, long? UserId, long? GroupId, long? Id, bool Destroy);

/// <summary>
/// Reads the protected environments API's <c>deploy_access_levels</c> as JSON (<c>[{"access_level": 40}]</c>, how
/// python-gitlab sends it) or as a form (<c>deploy_access_levels[][user_id]=2</c>), with GitLab's parameter error for a
/// level other than 30, 40 or 60.
/// </summary>
internal static class ProtectedEnvironmentInput
{
    public const string Field = "deploy_access_levels";

    /// <summary>GitLab's <c>ProtectedEnvironments::DeployAccessLevel::ALLOWED_ACCESS_LEVELS</c>: Developer, Maintainer, Admin.</summary>
    public static readonly int[] Levels = [30, 40, 60];

    /// <summary>The entries (empty when absent), or GitLab's message for why they cannot be read.</summary>
    public static (IReadOnlyList<DeployAccessEntry> Entries, string? Error) Read(IReadOnlyDictionary<string, string> fields, bool update)
    {
        var entries = new List<DeployAccessEntry>();
        try
        {
            if (fields.TryGetValue(Field, out var json) && json.Length > 0)
            {
                using var doc = JsonDocument.Parse("[" + json + "]");
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.Object)
                    {
                        return ([], Field + " is invalid");
                    }

                    entries.Add(new DeployAccessEntry(
                        (int?)Number(e, "access_level"), Number(e, "user_id"), Number(e, "group_id"), Number(e, "id"),
                        e.TryGetProperty("_destroy", out var d) && (d.ValueKind == JsonValueKind.True || d.ToString() is "1" or "true")));
                }
            }

            entries.AddRange(FormEntries(fields));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return ([], Field + " is invalid");
        }

        if (entries.Any(e => e.AccessLevel is { } l && !Levels.Contains(l)))
        {
            return ([], Field + "[" + entries.FindIndex(e => e.AccessLevel is { } l && !Levels.Contains(l)) + "][access_level] does not have a valid value");
        }

        return (entries, null);
    }

    /// <summary>Form style: <c>deploy_access_levels[][access_level]=40</c> (its key arrives as <c>deploy_access_levels[][access_level</c>); one entry per value.</summary>
    private static IEnumerable<DeployAccessEntry> FormEntries(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (sub, make) in new (string, Func<long, DeployAccessEntry>)[]
        {
            ("access_level", v => new DeployAccessEntry((int)v, null, null, null, false)),
            ("user_id", v => new DeployAccessEntry(null, v, null, null, false)),
            ("group_id", v => new DeployAccessEntry(null, null, v, null, false)),
        })
        {
            if (fields.TryGetValue($"{Field}[][{sub}", out var values))
            {
                foreach (var v in values.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return make(checked((int)long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    /// <summary><c>required_approval_count</c>: false when given but not an integer (<paramref name="count"/> null when absent).</summary>
    public static bool TryApprovalCount(IReadOnlyDictionary<string, string> fields, out int? count)
    {
        count = null;
        if (!fields.TryGetValue("required_approval_count", out var text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        count = n;
        return true;
    }

    /// <summary>The entry as GitLab types it: a user when it names one, else a group, else a role.</summary>
    public static Storage.DeployAccessLevelRecord Record(DeployAccessEntry e) =>
        e.UserId is not null ? new() { UserId = e.UserId }
        : e.GroupId is not null ? new() { GroupId = e.GroupId }
        : new() { AccessLevel = e.AccessLevel };

    private static long? Number(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
        : v.GetInt64();
}
