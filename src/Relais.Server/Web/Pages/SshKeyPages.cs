using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The signed-in user's SSH keys at GitLab's address <c>/-/user_settings/ssh_keys</c>: lists them (title, SHA-256
/// fingerprint, added, expiry, usage), adds one (title, key, optional expiry day; checked as the API checks it) and
/// deletes one. Changes are audited as over the API. No script: plain forms, as the rest of the UI.
/// </summary>
internal sealed class SshKeyPages(WebGuard guard, AuditLog auditLog, IKeyStore keyStore, TimeProvider time)
{
    public const string Path = "/-/user_settings/ssh_keys";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
            Page(viewer, await keyStore.ListUserKeysAsync(viewer.User!.Id, http.RequestAborted), http.Request.Query["done"].ToString(), null)));
        app.MapPost(Path, Task<IResult> (HttpContext http) => PostAsync(http, (viewer, form) => AddAsync(http, viewer, form)));
        app.MapPost(Path + "/{kid:long}/delete", (HttpContext http, long kid) => PostAsync(http, async (viewer, _) =>
        {
            var key = await keyStore.GetKeyAsync(kid, http.RequestAborted);
            if (key is null || !await keyStore.DeleteUserKeyAsync(viewer.User!.Id, kid, CancellationToken.None))
            {
                return Layout.NotFound(viewer, "Key");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "ssh_key_removed", "User", viewer.User.Id, viewer.User.Username, $"key {kid} {key.FingerprintSha256} ({key.Title})");
            return WebGuard.SeeOther(Path + "?done=deleted");
        }));
    }

    private Task<IResult> PostAsync(HttpContext http, Func<WebViewer, IFormCollection, Task<IResult>> handler) =>
        guard.SignedInAsync(http, admin: false, async viewer =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, form) : WebGuard.InvalidForm(viewer);
        });

    private async Task<IResult> AddAsync(HttpContext http, WebViewer viewer, IFormCollection form)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["title"] = form["title"].ToString(),
            ["key"] = form["key"].ToString(),
            ["expires_at"] = form["expires_at"].ToString(),
        };
        var (key, field, problem, _) = KeyInput.Check(fields, SshKeyRecord.UserKind, viewer.User!.Id, time.GetUtcNow());
        var added = key is null ? null : await keyStore.AddKeyAsync(key, time.GetUtcNow(), CancellationToken.None);
        if (added is null)
        {
            var error = key is null ? $"The {field!.Replace('_', ' ')} {problem}." : "That key is already in use (its fingerprint has already been taken).";
            return Page(viewer, await keyStore.ListUserKeysAsync(viewer.User.Id, http.RequestAborted), "", error, StatusCodes.Status400BadRequest);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "ssh_key_added", "User", viewer.User.Id, viewer.User.Username, $"key {added.Id} {added.FingerprintSha256} ({added.Title})");
        return WebGuard.SeeOther(Path + "?done=added");
    }

    private IResult Page(WebViewer viewer, IReadOnlyList<SshKeyRecord> keys, string done, string? error, int status = StatusCodes.Status200OK)
    {
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "SSH Keys", h =>
        {
            h.Raw("<h1>SSH Keys</h1>");
            UserSettingsPages.Nav(h, Path);
            if (done is "added" or "deleted")
            {
                h.Add($"<p class=\"flash\" role=\"status\">The key was {done}.</p>");
            }

            Layout.ErrorFlash(h, error);

            h.Raw("<form method=\"post\" action=\"" + Path + "\" class=\"card\">");
            Layout.Csrf(h, viewer);
            h.Raw("""
                <label for="key">Key</label><textarea id="key" name="key" rows="4" required aria-describedby="key-hint" placeholder="ssh-ed25519 AAAA… you@example.com"></textarea>
                <p id="key-hint" class="hint">Paste a public key (the contents of a <code>.pub</code> file): ssh-ed25519, ecdsa-sha2-nistp256/384/521, their security-key forms, or ssh-rsa of at least 1024 bits.</p>
                <label for="title">Title</label><input id="title" name="title" maxlength="255" required>
                <label for="expires_at">Expires (optional)</label><input id="expires_at" name="expires_at" type="date">
                <button type="submit" class="button primary">Add key</button>
                </form>
                """);
            if (keys.Count == 0)
            {
                h.Raw("<p>You have no SSH keys.</p>");
                return;
            }

            h.Raw("<table class=\"list ssh-keys\"><thead><tr><th scope=\"col\">Title</th><th scope=\"col\">Fingerprint</th><th scope=\"col\">Added</th><th scope=\"col\">Expires</th><th scope=\"col\">Usage</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var k in keys)
            {
                var id = k.Id.ToString(CultureInfo.InvariantCulture);
                var added = Format.Parse(k.CreatedAt);
                h.Add($"<tr data-key=\"{id}\"><td data-label=\"Title\">{k.Title}</td><td data-label=\"Fingerprint\"><code>{k.FingerprintSha256}</code></td>");
                h.Add($"<td data-label=\"Added\"><time datetime=\"{Format.Iso(added)}\">{Format.Age(added, now)}</time></td><td data-label=\"Expires\">{k.ExpiresAt?[..10] ?? "never"}</td>");
                h.Add($"<td data-label=\"Usage\">{k.UsageType.Replace('_', ' ')}</td><td>");
                Layout.ActionButton(h, viewer, $"{Path}/{id}/delete", "Delete", "Delete the key " + k.Title, "button danger");
                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        }, status);
    }
}
