using System.Globalization;
using System.Text.Json;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>One entry of GitLab's <c>allowed_to_push</c> (…<c>_merge</c>, <c>_unprotect</c>, <c>_create</c>): a role level, a user, a deploy key, or a grant to remove (<c>id</c> with <c>_destroy</c>).</summary>
internal sealed record AllowedEntry(int? AccessLevel, long? UserId, long? DeployKeyId, long? Id, bool Destroy);

/// <summary>
/// Reads the protected refs' parameters in GitLab's shapes: an access level (<c>push_access_level</c> …, only 0 no one,
/// 30 developers and maintainers, 40 maintainers and 60 administrators are known) and the <c>allowed_to_*</c> arrays, as
/// JSON (<c>[{"deploy_key_id": 1}]</c>) or as a form (<c>allowed_to_push[][user_id]=2</c>).
/// </summary>
internal static class ProtectedRefInput
{
    public static readonly int[] Levels = [0, 30, 40, 60];

    /// <summary>False when <paramref name="key"/> is there but not a known level; <paramref name="level"/> is null when it is absent.</summary>
    public static bool TryLevel(IReadOnlyDictionary<string, string> fields, string key, out int? level)
    {
        level = null;
        if (!fields.TryGetValue(key, out var text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || !Levels.Contains(value))
        {
            return false;
        }

        level = value;
        return true;
    }

    /// <summary>The entries of <c>allowed_to_NAME</c>; null when they cannot be read or name an unknown level.</summary>
    public static IReadOnlyList<AllowedEntry>? Allowed(IReadOnlyDictionary<string, string> fields, string name)
    {
        var entries = new List<AllowedEntry>();
        if (fields.TryGetValue(name, out var json) && json.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse("[" + json + "]");
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    entries.Add(new AllowedEntry(
                        (int?)Number(e, "access_level"), Number(e, "user_id"), Number(e, "deploy_key_id"), Number(e, "id"),
                        e.TryGetProperty("_destroy", out var d) && (d.ValueKind == JsonValueKind.True || d.ToString() is "1" or "true")));
                }
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
            {
                return null;
            }
        }

        // Form style: allowed_to_push[][user_id]=2 (its key arrives as "allowed_to_push[][user_id"); one entry per value.
        foreach (var (sub, make) in new (string, Func<long, AllowedEntry>)[]
        {
            ("access_level", v => new AllowedEntry((int)v, null, null, null, false)),
            ("user_id", v => new AllowedEntry(null, v, null, null, false)),
            ("deploy_key_id", v => new AllowedEntry(null, null, v, null, false)),
        })
        {
            if (fields.TryGetValue($"{name}[][{sub}", out var values))
            {
                foreach (var v in values.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > int.MaxValue)
                    {
                        return null;
                    }

                    entries.Add(make(n));
                }
            }
        }

        return entries.Any(e => e.AccessLevel is { } l && !Levels.Contains(l)) ? null : entries;
    }

    /// <summary>The role level the entries ask for (the most permissive; "no one" only alone), or null when they name none.</summary>
    public static int? LevelOf(IReadOnlyList<AllowedEntry> entries)
    {
        var levels = entries.Where(e => !e.Destroy && e.AccessLevel is not null).Select(e => e.AccessLevel!.Value).ToList();
        return levels.Count == 0 ? null : levels.Where(l => l != 0).DefaultIfEmpty(0).Min();
    }

    /// <summary>The grants the entries add for <paramref name="action"/>.</summary>
    public static IEnumerable<ProtectedRefGrant> GrantsOf(IReadOnlyList<AllowedEntry> entries, string action) =>
        entries.Where(e => !e.Destroy && (e.UserId is not null || e.DeployKeyId is not null))
            .Select(e => new ProtectedRefGrant { Action = action, UserId = e.UserId, DeployKeyId = e.DeployKeyId });

    private static long? Number(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
        : v.GetInt64();
}
