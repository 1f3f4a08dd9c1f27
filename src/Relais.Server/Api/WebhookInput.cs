using Relais.Server.Storage;
using Relais.Server.Webhooks;

namespace Relais.Server.Api;

/// <summary>
/// Reads a hook's fields from a create or update call onto <paramref name="hook"/> (an update keeps what is not
/// sent; a create starts from GitLab's defaults: push events on, the rest off) and checks the URL: absolute
/// <c>http</c>/<c>https</c>, and, unless local requests are allowed, a host that resolves to no local address.
/// </summary>
internal static class WebhookInput
{
    public const string InvalidUrl = "Invalid url given";

    /// <summary>The hook with the call's fields applied, or the 422/400 message that refuses them.</summary>
    public static async Task<(WebhookRecord? Hook, string? Refusal)> ApplyAsync(
        IReadOnlyDictionary<string, string> f, WebhookRecord hook, bool allowLocal, Security.SecretBox secrets, CancellationToken cancel)
    {
        var url = f.GetValueOrDefault("url") ?? hook.Url;
        if (!await UrlAllowedAsync(url, allowLocal, cancel))
        {
            return (null, InvalidUrl);
        }

        var events = new List<string>();
        foreach (var trigger in WebhookTriggers.All)
        {
            if (ApiParams.Bool(f, trigger) ?? hook.Listens(trigger))
            {
                events.Add(trigger);
            }
        }

        var token = f.TryGetValue("token", out var t) ? (t.Length == 0 ? null : secrets.Protect(t)) : hook.SealedToken;
        return (hook with
        {
            Url = url,
            Name = Limit(f.GetValueOrDefault("name") ?? hook.Name),
            Description = Limit(f.GetValueOrDefault("description") ?? hook.Description),
            SealedToken = token,
            Events = string.Join(',', events),
            PushEventsBranchFilter = f.GetValueOrDefault("push_events_branch_filter") ?? hook.PushEventsBranchFilter,
            EnableSslVerification = ApiParams.Bool(f, "enable_ssl_verification") ?? hook.EnableSslVerification,
        }, null);
    }

    /// <summary>Whether <paramref name="url"/> may be a hook's address here.</summary>
    public static async Task<bool> UrlAllowedAsync(string url, bool allowLocal, CancellationToken cancel)
    {
        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return false;
        }

        if (allowLocal)
        {
            return true;
        }

        try
        {
            await WebhookHttp.ResolveAsync(uri.IdnHost, allowLocal: false, cancel);
            return true;
        }
        catch (WebhookRefusedException)
        {
            return false;
        }
    }

    private static string Limit(string text) => text.Length > 2048 ? text[..2048] : text;
}
