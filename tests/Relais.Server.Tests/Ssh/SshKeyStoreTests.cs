using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Relais.Server.Ssh;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Ssh;

/// <summary>The key store and the lookup the coming AuthorizedKeysCommand will use, on SQLite and PostgreSQL.</summary>
public sealed class SshKeyStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_lookup_by_type_and_blob_finds_users_and_deploy_keys_and_skips_expired_and_signing_only_keys(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var keys = server.Host.Stores.Keys;
        var now = DateTimeOffset.UtcNow;
        var root = (await server.Host.Stores.Identity.GetUserAsync(1))!;
        var project = await NewProjectAsync(server);

        var (userType, userBlob, userKey) = NewKey();
        var added = (await keys.AddKeyAsync(Row(userKey, SshKeyRecord.UserKind, root.Id), now))!;
        var (deployType, deployBlob, deployKey) = NewKey();
        var deploy = (await keys.AddKeyAsync(Row(deployKey, SshKeyRecord.DeployKind, root.Id), now))!;
        Assert.True(await keys.EnableDeployKeyAsync(project, deploy.Id, canPush: true, now));
        var (_, expiredBlob, expiredKey) = NewKey();
        await keys.AddKeyAsync(Row(expiredKey, SshKeyRecord.UserKind, root.Id) with { ExpiresAt = SqlKeyStore.StoredTime(now.AddMinutes(-1)) }, now.AddDays(-1));
        var (_, signingBlob, signingKey) = NewKey();
        await keys.AddKeyAsync(Row(signingKey, SshKeyRecord.UserKind, root.Id) with { UsageType = "signing" }, now);
        var (_, futureBlob, futureKey) = NewKey();
        await keys.AddKeyAsync(Row(futureKey, SshKeyRecord.UserKind, root.Id) with { ExpiresAt = SqlKeyStore.StoredTime(now.AddDays(1)) }, now);

        var lookup = new SshKeyLookup(keys, TimeProvider.System);
        var user = await lookup.FindAsync(userType, userBlob);
        Assert.Equal((added.Id, false, (long?)root.Id, "root"), (user!.KeyId, user.IsDeployKey, user.UserId, user.Username));
        var byDeployKey = await lookup.FindAsync(deployType, deployBlob);
        Assert.Equal((deploy.Id, true, (long?)null), (byDeployKey!.KeyId, byDeployKey.IsDeployKey, byDeployKey.UserId));
        Assert.Null(await lookup.FindAsync("ssh-ed25519", expiredBlob));
        Assert.Null(await lookup.FindAsync("ssh-ed25519", signingBlob));
        Assert.NotNull(await lookup.FindAsync("ssh-ed25519", futureBlob));
        Assert.Null(await lookup.FindAsync("ssh-ed25519", NewKey().Blob));
        Assert.Null(await lookup.FindAsync("ssh-rsa", userBlob));
        Assert.Null(await lookup.FindAsync("ssh-ed25519", "not base64"));

        Assert.Equal(4, (await keys.ListUserKeysAsync(root.Id)).Count);
        Assert.False(await keys.DeleteUserKeyAsync(root.Id + 1, added.Id));
        Assert.False(await keys.DeleteUserKeyAsync(root.Id, deploy.Id));
        Assert.True(await keys.DeleteUserKeyAsync(root.Id, added.Id));
        Assert.Null(await lookup.FindAsync(userType, userBlob));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_fingerprint_is_unique_across_user_and_deploy_keys_and_an_unused_deploy_key_is_deleted(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var keys = server.Host.Stores.Keys;
        var now = DateTimeOffset.UtcNow;
        var (first, second) = (await NewProjectAsync(server, "one"), await NewProjectAsync(server, "two"));
        var (_, _, key) = NewKey();
        Assert.NotNull(await keys.AddKeyAsync(Row(key, SshKeyRecord.UserKind, 1), now));
        Assert.Null(await keys.AddKeyAsync(Row(key, SshKeyRecord.UserKind, 1), now));
        Assert.Null(await keys.AddKeyAsync(Row(key, SshKeyRecord.DeployKind, 1), now));

        var (_, _, deployKey) = NewKey();
        var deploy = (await keys.AddKeyAsync(Row(deployKey, SshKeyRecord.DeployKind, 1), now))!;
        Assert.True(await keys.EnableDeployKeyAsync(first, deploy.Id, false, now));
        Assert.False(await keys.EnableDeployKeyAsync(first, deploy.Id, true, now));
        Assert.True(await keys.EnableDeployKeyAsync(second, deploy.Id, true, now));
        Assert.True(await keys.UpdateProjectDeployKeyAsync(second, deploy.Id, "renamed", canPush: false));
        Assert.Equal(("renamed", false), (await keys.ListProjectDeployKeysAsync(second)).Select(k => (k.Key.Title, k.CanPush)).Single());
        Assert.Equal([first, second], (await keys.ListDeployKeyProjectsAsync(null)).Select(l => l.ProjectId));
        Assert.Equal([first, second], (await keys.ListDeployKeyProjectsAsync(deploy.Id)).Select(l => l.ProjectId));
        Assert.Empty(await keys.ListDeployKeyProjectsAsync(deploy.Id + 1000));
        Assert.Equal([deploy.Id], (await keys.ListDeployKeysAsync()).Select(k => k.Id));
        Assert.Equal(deploy.Id, (await keys.FindKeyByFingerprintAsync(deployKey.FingerprintSha256))!.Id);

        Assert.True(await keys.RemoveDeployKeyAsync(first, deploy.Id));
        Assert.NotNull(await keys.GetKeyAsync(deploy.Id));
        Assert.False(await keys.RemoveDeployKeyAsync(first, deploy.Id));
        Assert.True(await keys.RemoveDeployKeyAsync(second, deploy.Id));
        Assert.Null(await keys.GetKeyAsync(deploy.Id));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_blocked_users_keys_answer_no_one_and_a_deleted_users_keys_go_with_them(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var (keys, identity) = (server.Host.Stores.Keys, server.Host.Stores.Identity);
        var now = DateTimeOffset.UtcNow;
        var project = await NewProjectAsync(server);
        var bob = (await identity.AddUserAsync("bob", false, now))!;
        var (type, blob, key) = NewKey();
        await keys.AddKeyAsync(Row(key, SshKeyRecord.UserKind, bob.Id), now);
        var (_, _, deployKey) = NewKey();
        var deploy = (await keys.AddKeyAsync(Row(deployKey, SshKeyRecord.DeployKind, bob.Id), now))!;
        await keys.EnableDeployKeyAsync(project, deploy.Id, false, now);
        var lookup = new SshKeyLookup(keys, TimeProvider.System);

        Assert.True(await identity.SetBlockedAsync(bob.Id, true));
        Assert.Null(await lookup.FindAsync(type, blob));
        Assert.True(await identity.SetBlockedAsync(bob.Id, false));
        Assert.Equal("bob", (await lookup.FindAsync(type, blob))!.Username);

        Assert.Equal(UserDeletion.Deleted, await identity.DeleteUserAsync(bob.Id));
        Assert.Null(await lookup.FindAsync(type, blob));
        Assert.Empty(await keys.ListUserKeysAsync(bob.Id));
        Assert.Null((await keys.GetKeyAsync(deploy.Id))!.UserId);
    }

    /// <summary>A fresh Ed25519 public key (random point bytes: the store never checks the curve): its type, base64 blob and parsed form.</summary>
    private static (string Type, string Blob, SshPublicKey Key) NewKey()
    {
        var line = SshBlobs.Line("ssh-ed25519", RandomNumberGenerator.GetBytes(32));
        var key = SshPublicKey.Parse(line, out _)!;
        return (key.Type, key.BlobBase64, key);
    }

    private static SshKeyRecord Row(SshPublicKey key, string kind, long userId) => new()
    {
        Kind = kind,
        UserId = userId,
        Title = "key",
        Key = key.Normalized,
        FingerprintSha256 = key.FingerprintSha256,
        FingerprintMd5 = key.FingerprintMd5,
        UsageType = kind == SshKeyRecord.DeployKind ? "auth" : "auth_and_signing",
    };

    private static async Task<long> NewProjectAsync(TestServer server, string name = "demo")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v4/projects") { Content = JsonContent.Create(new { name }) };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }
}
