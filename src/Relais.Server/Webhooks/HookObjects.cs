using System.Globalization;
using Relais.Pipelines.Context;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// The parts GitLab's webhook payloads share (docs: user/project/integrations/webhook_events): the <c>project</c>,
/// <c>repository</c>, <c>user</c> and <c>commit</c> objects, and the two time formats payloads use.
/// </summary>
internal static class HookObjects
{
    /// <summary>GitLab's <c>visibility_level</c>: 0 private, 10 internal, 20 public.</summary>
    public static int VisibilityLevel(ProjectRecord project) => project.Visibility switch
    {
        "public" => 20,
        "internal" => 10,
        _ => 0,
    };

    public static Dictionary<string, object?> Project(ProjectRecord p, CloneUrls urls) => new()
    {
        ["id"] = p.Id,
        ["name"] = p.Name,
        ["description"] = "",
        ["web_url"] = urls.Web(p),
        ["avatar_url"] = null,
        ["git_ssh_url"] = urls.Ssh(p),
        ["git_http_url"] = urls.Http(p),
        ["namespace"] = p.Namespace,
        ["visibility_level"] = VisibilityLevel(p),
        ["path_with_namespace"] = p.Path,
        ["default_branch"] = p.DefaultBranch,
        ["ci_config_path"] = null,
        ["homepage"] = urls.Web(p),
        ["url"] = urls.Ssh(p) ?? urls.Http(p),
        ["ssh_url"] = urls.Ssh(p),
        ["http_url"] = urls.Http(p),
    };

    public static Dictionary<string, object?> Repository(ProjectRecord p, CloneUrls urls) => new()
    {
        ["name"] = p.Name,
        ["url"] = urls.Ssh(p) ?? urls.Http(p),
        ["description"] = "",
        ["homepage"] = urls.Web(p),
        ["git_http_url"] = urls.Http(p),
        ["git_ssh_url"] = urls.Ssh(p),
        ["visibility_level"] = VisibilityLevel(p),
    };

    /// <summary>The user object; null when nobody is known (GitLab then sends <c>null</c>).</summary>
    public static Dictionary<string, object?>? User(PipelineUser? user) => user is null ? null : new()
    {
        ["id"] = user.Id,
        ["name"] = user.Name,
        ["username"] = user.Login,
        ["avatar_url"] = null,
        ["email"] = user.Email,
    };

    /// <summary>A commit as pipeline and push payloads show it.</summary>
    public static Dictionary<string, object?> Commit(string sha, string message, DateTimeOffset? at, string authorName, string authorEmail, ProjectRecord p, CloneUrls urls) => new()
    {
        ["id"] = sha,
        ["message"] = message,
        ["title"] = message.Split('\n', 2)[0].TrimEnd('\r'),
        ["timestamp"] = at?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["url"] = $"{urls.Web(p)}/-/commit/{sha}",
        ["author"] = new Dictionary<string, object?> { ["name"] = authorName, ["email"] = authorEmail },
    };

    /// <summary>Splits git's <c>Name &lt;email&gt;</c>.</summary>
    public static (string Name, string Email) Author(string? author)
    {
        if (string.IsNullOrEmpty(author))
        {
            return ("", "");
        }

        var open = author.LastIndexOf('<');
        return open < 0 ? (author.Trim(), "") : (author[..open].Trim(), author[(open + 1)..].TrimEnd('>').Trim());
    }

    /// <summary>The format pipeline payloads use: <c>2016-08-12 15:23:28 UTC</c>.</summary>
    public static string? UtcText(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 with milliseconds, as job payloads use.</summary>
    public static string? IsoText(DateTimeOffset? at) => Api.ApiJson.Time(at);

    public static double? Seconds(TimeSpan? span) => Api.ApiJson.Seconds(span);
}
