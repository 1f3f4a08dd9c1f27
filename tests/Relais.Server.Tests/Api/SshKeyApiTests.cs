using System.Net;
using System.Text.Json;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Tests.Ssh;
using Relais.Server.Tests.Support;
using Relais.TestSupport;

namespace Relais.Server.Tests.Api;

/// <summary>SSH keys and deploy keys over the REST API: GitLab's shapes, its errors, and who may see and change what.</summary>
public sealed class SshKeyApiTests
{
    [SshKeygenFact]
    public async Task A_user_adds_lists_reads_and_deletes_their_keys_and_the_changes_are_audited()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var line = await SshKeygen.NewPublicKeyAsync(dir, "ed25519");

        var (status, added, _) = await api.PostAsync("user/keys", Body(("title", "laptop"), ("key", "  " + line + "  ")), ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("laptop", line, "auth_and_signing"), (added.GetProperty("title").GetString(), added.GetProperty("key").GetString(), added.GetProperty("usage_type").GetString()));
        var id = added.GetProperty("id").GetInt64();

        var (_, list, response) = await api.GetAsync("user/keys", ApiFixture.AliceToken);
        Assert.Equal(id, list.EnumerateArray().Single().GetProperty("id").GetInt64());
        Assert.Equal("1", response.Headers.GetValues("X-Total").Single());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"user/keys/{id}", ApiFixture.AliceToken)).Status);
        Assert.Equal(id, (await api.GetAsync("users/2/keys", token: null)).Json.EnumerateArray().Single().GetProperty("id").GetInt64());

        var (_, byFingerprint, _) = await api.GetAsync("keys?fingerprint=" + Uri.EscapeDataString(await SshKeygen.FingerprintAsync(dir, line)));
        Assert.Equal((id, "alice"), (byFingerprint.GetProperty("id").GetInt64(), byFingerprint.GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal("alice", (await api.GetAsync($"keys/{id}", ApiFixture.AliceToken)).Json.GetProperty("user").GetProperty("username").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"user/keys/{id}", ApiFixture.AliceToken)).Status);
        Assert.Empty((await api.GetAsync("user/keys", ApiFixture.AliceToken)).Json.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"user/keys/{id}", ApiFixture.AliceToken)).Status);

        var actions = (await api.GetAsync("audit_events")).Json.EnumerateArray().Select(e => e.GetProperty("event_name").GetString() ?? "").ToList();
        Assert.Contains("ssh_key_added", actions);
        Assert.Contains("ssh_key_removed", actions);
    }

    [SshKeygenFact]
    public async Task Bad_keys_duplicates_and_past_expiry_are_400_in_gitlabs_shape()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var line = await SshKeygen.NewPublicKeyAsync(dir, "ecdsa", 256);

        var garbage = await api.PostAsync("user/keys", Body(("title", "x"), ("key", "ssh-rsa AAAAnotakey")));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Equal("is invalid", garbage.Json.GetProperty("message").GetProperty("key")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("user/keys", Body(("key", line)))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("user/keys", Body(("title", "x"), ("key", line), ("usage_type", "root")))).Status);
        var past = await api.PostAsync("user/keys", Body(("title", "x"), ("key", line), ("expires_at", "2001-01-01T00:00:00Z")));
        Assert.Equal("must be in the future", past.Json.GetProperty("message").GetProperty("expires_at")[0].GetString());

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("user/keys", Body(("title", "x"), ("key", line), ("expires_at", "2999-01-01")))).Status);
        foreach (var (path, token) in new[] { ("user/keys", TestServer.RootToken), ("user/keys", ApiFixture.AliceToken) })
        {
            var taken = await api.PostAsync(path, Body(("title", "again"), ("key", line + " other comment")), token);
            Assert.Equal(HttpStatusCode.BadRequest, taken.Status);
            Assert.Equal("has already been taken", taken.Json.GetProperty("message").GetProperty("fingerprint_sha256")[0].GetString());
        }

        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var asDeployKey = await api.PostAsync($"projects/{project}/deploy_keys", Body(("title", "ci"), ("key", line)));
        Assert.Equal("has already been taken", asDeployKey.Json.GetProperty("message").GetProperty("fingerprint_sha256")[0].GetString());
    }

    [SshKeygenFact]
    public async Task Another_users_keys_are_404_and_fingerprint_lookups_and_adding_for_others_are_admin_only()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var rootKey = (await api.PostAsync("user/keys", Body(("title", "root"), ("key", await SshKeygen.NewPublicKeyAsync(dir, "ed25519"))))).Json.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"user/keys/{rootKey}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"user/keys/{rootKey}", ApiFixture.AliceToken)).Status);
        Assert.Single((await api.GetAsync("user/keys")).Json.EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("keys?fingerprint=SHA256:x", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user/keys", token: null)).Status);
        var forRoot = await api.PostAsync("users/1/keys", Body(("title", "x"), ("key", await SshKeygen.NewPublicKeyAsync(dir, "ed25519"))), ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Forbidden, forRoot.Status);
        var forAlice = await api.PostAsync("users/2/keys", Body(("title", "given"), ("key", await SshKeygen.NewPublicKeyAsync(dir, "rsa", 2048))));
        Assert.Equal(HttpStatusCode.Created, forAlice.Status);
        Assert.Equal("given", (await api.GetAsync("user/keys", ApiFixture.AliceToken)).Json.EnumerateArray().Single().GetProperty("title").GetString());
        var given = forAlice.Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"users/2/keys/{given}", token: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"users/1/keys/{given}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"users/1/keys/{rootKey}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"users/1/keys/{given}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"users/2/keys/{given}")).Status);
        Assert.Empty((await api.GetAsync("user/keys", ApiFixture.AliceToken)).Json.EnumerateArray());
    }

    [SshKeygenFact]
    public async Task A_read_api_token_lists_keys_but_cannot_add_one()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        const string reader = "glpat-alice-read-only";
        await api.Server.Host.Stores.Identity.AddPersonalAccessTokenAsync(2, "read", Tokens.Hash(reader), DateTimeOffset.UtcNow, new TokenGrant([TokenScopes.ReadApi], null));

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("user/keys", reader)).Status);
        var add = await api.PostAsync("user/keys", Body(("title", "x"), ("key", await SshKeygen.NewPublicKeyAsync(dir, "ed25519"))), reader);
        Assert.Equal(HttpStatusCode.Forbidden, add.Status);
        Assert.Equal("insufficient_scope", add.Json.GetProperty("error").GetString());
    }

    [SshKeygenFact]
    public async Task Deploy_keys_need_write_access_are_shared_by_enable_and_vanish_with_their_last_project()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var line = await SshKeygen.NewPublicKeyAsync(dir, "ecdsa", 384);
        var (first, second) = (await api.ProjectWithConfigAsync("one", "job: {script: [echo]}"), await api.ProjectWithConfigAsync("two", "job: {script: [echo]}", "public"));

        var (status, key, _) = await api.PostAsync($"projects/{first}/deploy_keys", Body(("title", "ci"), ("key", line), ("can_push", "true")));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(key.GetProperty("can_push").GetBoolean());
        Assert.Equal(await SshKeygen.FingerprintAsync(dir, line), key.GetProperty("fingerprint_sha256").GetString());
        var id = key.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{first}/deploy_keys", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"projects/{second}/deploy_keys", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{second}/deploy_keys/{id}/enable", token: ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("deploy_keys", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"keys/{id}", ApiFixture.AliceToken)).Status);

        var enabled = await api.PostAsync($"projects/{second}/deploy_keys/{id}/enable");
        Assert.Equal((HttpStatusCode.Created, false), (enabled.Status, enabled.Json.GetProperty("can_push").GetBoolean()));
        var all = (await api.GetAsync("deploy_keys")).Json.EnumerateArray().Single();
        Assert.Equal("root/one", all.GetProperty("projects_with_write_access").EnumerateArray().Single().GetProperty("path_with_namespace").GetString());
        Assert.Equal("root/two", all.GetProperty("projects_with_readonly_access").EnumerateArray().Single().GetProperty("path_with_namespace").GetString());
        Assert.Equal(2, (await api.GetAsync($"keys/{id}")).Json.GetProperty("deploy_keys_projects").GetArrayLength());

        var updated = await api.SendAsync(HttpMethod.Put, $"projects/{second}/deploy_keys/{id}", json: """{"title":"renamed","can_push":true}""");
        Assert.Equal(("renamed", true), (updated.Json.GetProperty("title").GetString(), updated.Json.GetProperty("can_push").GetBoolean()));
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{first}/deploy_keys/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{first}/deploy_keys/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/{second}/deploy_keys/{id}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{second}/deploy_keys/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"keys/{id}")).Status);
        Assert.Empty((await api.GetAsync("deploy_keys")).Json.EnumerateArray());

        var actions = (await api.GetAsync("audit_events")).Json.EnumerateArray().Select(e => e.GetProperty("event_name").GetString() ?? "").ToList();
        Assert.Equal(["deploy_key_added", "deploy_key_enabled", "deploy_key_removed", "deploy_key_updated"], actions.Where(a => a.StartsWith("deploy_key", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
    }

    [SshKeygenFact]
    public async Task Posting_a_deploy_key_that_another_of_the_callers_projects_has_enables_it_there()
    {
        await using var api = await ApiFixture.StartAsync();
        using var dir = new TempDirectory();
        var line = await SshKeygen.NewPublicKeyAsync(dir, "ed25519");
        var (first, second) = (await api.ProjectWithConfigAsync("one", "job: {script: [echo]}"), await api.ProjectWithConfigAsync("two", "job: {script: [echo]}"));
        var id = (await api.PostAsync($"projects/{first}/deploy_keys", Body(("title", "ci"), ("key", line)))).Json.GetProperty("id").GetInt64();

        var again = await api.PostAsync($"projects/{second}/deploy_keys", Body(("title", "ci"), ("key", line)));
        Assert.Equal((HttpStatusCode.Created, id), (again.Status, again.Json.GetProperty("id").GetInt64()));
        var alicesProject = (await api.PostAsync("projects", """{"name":"mine"}""", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();
        var stolen = await api.PostAsync($"projects/{alicesProject}/deploy_keys", Body(("title", "ci"), ("key", line)), ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"projects/{alicesProject}/deploy_keys/{id}/enable", token: ApiFixture.AliceToken)).Status);
    }

    private static string Body(params (string Key, string Value)[] fields) => JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value));
}
