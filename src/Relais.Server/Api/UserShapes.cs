using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A user in GitLab's two shapes: the basic one anyone signed in sees (<c>id, username, name, state, locked,
/// avatar_url, web_url</c>), and the full one an administrator and the user themselves see (adds <c>created_at,
/// email, is_admin</c> and the fields python-gitlab reads). A personal access token as the token API lists it.
/// </summary>
internal static class UserShapes
{
    public static string DisplayName(UserAccountRecord u) => u.Name ?? (u.Username == "root" ? "Administrator" : u.Username);

    public static Dictionary<string, object?> Basic(UserAccountRecord u, string externalUrl) => new()
    {
        ["id"] = u.Id,
        ["username"] = u.Username,
        ["name"] = DisplayName(u),
        ["state"] = u.Blocked ? "blocked" : "active",
        ["locked"] = false,
        ["avatar_url"] = null,
        ["web_url"] = externalUrl + "/" + u.Username,
    };

    public static Dictionary<string, object?> Full(UserAccountRecord u, string externalUrl)
    {
        var view = Basic(u, externalUrl);
        view["created_at"] = ApiJson.Time(u.CreatedAt);
        view["bio"] = "";
        view["public_email"] = null;
        view["email"] = u.Email;
        view["is_admin"] = u.IsAdmin;
        view["bot"] = false;
        view["external"] = false;
        view["two_factor_enabled"] = false;
        view["identities"] = Array.Empty<object>();
        return view;
    }

    /// <summary>A token without its value; <c>active</c> is false once revoked or expired on <paramref name="today"/> (<see cref="TokenGrant.Today"/>).</summary>
    public static Dictionary<string, object?> Token(TokenDetailRecord t, string today) => new()
    {
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["revoked"] = t.Revoked,
        ["created_at"] = ApiJson.Time(t.CreatedAt),
        ["scopes"] = t.ScopeList,
        ["user_id"] = t.UserId,
        ["last_used_at"] = ApiJson.Time(t.LastUsedAt),
        ["active"] = !t.Revoked && (t.ExpiresAt is null || string.CompareOrdinal(t.ExpiresAt, today) > 0),
        ["expires_at"] = t.ExpiresAt,
    };
}
