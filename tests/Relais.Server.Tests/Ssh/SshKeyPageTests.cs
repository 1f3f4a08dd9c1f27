using System.Net;
using Relais.Server.Ssh;
using Relais.Server.Tests.Hostile;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Ssh;

/// <summary>The SSH Keys page in user settings: add, list, refuse bad keys, delete; forms need the anti-forgery token; nothing inline.</summary>
public sealed class SshKeyPageTests
{
    [Fact]
    public async Task The_ssh_keys_page_adds_lists_refuses_and_deletes_keys_with_escaped_titles_and_no_inline_script()
    {
        await using var server = await SessionClients.StartAsync();
        using var browser = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        var line = SshBlobs.Line("ssh-ed25519", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + " me@laptop";
        var fingerprint = SshPublicKey.Parse(line, out _)!.FingerprintSha256;

        using var empty = await browser.GetAsync("-/user_settings/ssh_keys");
        var page = await empty.Content.ReadAsStringAsync();
        Assert.Contains("You have no SSH keys.", page, StringComparison.Ordinal);
        Assert.True(empty.Headers.Contains("Content-Security-Policy"));
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);

        using (var forged = await browser.PostAsync("-/user_settings/ssh_keys", new FormUrlEncodedContent([KeyValuePair.Create("title", "x"), KeyValuePair.Create("key", line)])))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        }

        using (var bad = await browser.PostAsync("-/user_settings/ssh_keys", Form(page, ("title", "x"), ("key", "ssh-ed25519 AAAA"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("The key is invalid.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var added = await browser.PostAsync("-/user_settings/ssh_keys", Form(page, ("title", "<b>laptop</b>"), ("key", line))))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var listed = await browser.GetStringAsync("-/user_settings/ssh_keys?done=added");
        Assert.Contains(fingerprint, listed, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;laptop&lt;/b&gt;", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>laptop</b>", listed, StringComparison.Ordinal);
        using (var again = await browser.PostAsync("-/user_settings/ssh_keys", Form(listed, ("title", "again"), ("key", line))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        var id = (await server.Host.Stores.Keys.ListUserKeysAsync(1)).Single().Id;
        using (var deleted = await browser.PostAsync($"-/user_settings/ssh_keys/{id}/delete", Form(listed)))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        Assert.Empty(await server.Host.Stores.Keys.ListUserKeysAsync(1));
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new(fields.Select(p => KeyValuePair.Create(p.Key, p.Value)).Append(KeyValuePair.Create("authenticity_token", SessionClients.Csrf(page))));
}
