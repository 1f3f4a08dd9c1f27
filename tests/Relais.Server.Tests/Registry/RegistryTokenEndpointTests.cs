using System.Net;
using Relais.Server.Auth;
using Relais.Server.Registry;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// <c>GET /jwt/auth</c>, the registry's token realm (issue #15): which actions each kind of credential gets on which
/// repository, read from the signed token's <c>access</c> claim (verified with <c>DATA/registry/token.crt</c>).
/// </summary>
public sealed class RegistryTokenEndpointTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_jobs_token_pushes_its_own_project_and_pulls_another_only_when_its_user_may_read_it_and_the_allowlist_admits_it(string store)
    {
        await using var s = await RegistryAuthServer.StartAsync(store);
        var app = await s.ProjectAsync("root/app");
        var (lib, closed, secret) = (await s.ProjectAsync("root/lib"), await s.ProjectAsync("root/closed"), await s.ProjectAsync("root/secret"));
        await s.ProjectAsync("root/base-images", "public"); // not on any allowlist
        var alice = await s.UserAsync("alice", app, AccessLevel.Developer);
        foreach (var readable in new[] { lib, closed })
        {
            await s.Stores.Members.AddMemberAsync(new() { Source = MemberSource.Project, SourceId = readable.Id, UserId = alice.Id, Username = "alice", AccessLevel = (int)AccessLevel.Reporter }, DateTimeOffset.UtcNow);
        }

        await s.Stores.JobTokenScopes.AddAllowedAsync(lib.Id, app.Id, DateTimeOffset.UtcNow);
        await s.Stores.JobTokenScopes.AddAllowedAsync(secret.Id, app.Id, DateTimeOffset.UtcNow);
        var job = await s.RunningJobAsync(app, alice);

        var answer = await s.AuthAsync("gitlab-ci-token", job.Token,
            "repository:root/app:pull,push", "repository:root/app/cache:push,pull", "repository:root/app:delete",
            "repository:root/lib:pull,push", "repository:root/closed:pull", "repository:root/secret:pull", "repository:root/base-images:pull,push", "registry:catalog:*");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            ["repository:root/app:pull,push", "repository:root/app/cache:push,pull", "repository:root/app:delete", "repository:root/lib:pull", "repository:root/base-images:pull"],
            answer.Access);
        Assert.Equal("alice", answer.Subject);
        Assert.Equal(["", "cache"], (await s.Stores.ContainerRepositories.ListAsync(app.Id)).Select(r => r.Name));
        Assert.Empty(await s.Stores.ContainerRepositories.ListAsync(lib.Id));

        // docker login asks with no scope: a token granting nothing.
        Assert.Empty((await s.AuthAsync("gitlab-ci-token", job.Token)).Access);

        await s.Server.UpdateJobAsync(job, "success");
        var finished = await s.AuthAsync("gitlab-ci-token", job.Token, "repository:root/app:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, finished.Status);
        Assert.Equal("UNAUTHORIZED", finished.Json.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Personal_access_tokens_and_passwords_grant_what_their_scopes_allow_within_the_users_role(string store)
    {
        await using var s = await RegistryAuthServer.StartAsync(store);
        var app = await s.ProjectAsync("group/app");
        var reporter = await s.UserAsync("rita", app, AccessLevel.Reporter);
        var developer = await s.UserAsync("dev", app, AccessLevel.Developer);
        var maintainer = await s.UserAsync("mia", app, AccessLevel.Maintainer);
        var outsider = await s.UserAsync("olga");
        const string all = "repository:group/app:pull,push,delete";

        async Task<IReadOnlyList<string>> Grants(string user, string token)
        {
            var answer = await s.AuthAsync(user, token, all);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            return answer.Access;
        }

        Assert.Equal(["repository:group/app:pull"], await Grants("rita", await s.TokenAsync(reporter, TokenScopes.ReadRegistry, TokenScopes.WriteRegistry)));
        Assert.Equal(["repository:group/app:pull"], await Grants("dev", await s.TokenAsync(developer, TokenScopes.ReadRegistry)));
        Assert.Equal(["repository:group/app:pull"], await Grants("dev", await s.TokenAsync(developer, TokenScopes.ReadApi)));
        Assert.Equal(["repository:group/app:push"], await Grants("dev", await s.TokenAsync(developer, TokenScopes.WriteRegistry)));
        Assert.Equal(["repository:group/app:pull,push"], await Grants("dev", await s.TokenAsync(developer, TokenScopes.Api)));
        Assert.Equal(["repository:group/app:pull,push,delete"], await Grants("mia", await s.TokenAsync(maintainer, TokenScopes.Api)));
        Assert.Equal(["repository:group/app:pull,push"], await Grants("mia", await s.TokenAsync(maintainer, TokenScopes.ReadRegistry, TokenScopes.WriteRegistry)));
        Assert.Empty(await Grants("olga", await s.TokenAsync(outsider, TokenScopes.Api)));
        Assert.Equal(["repository:group/app:pull,push,delete", "registry:catalog:*"], (await s.AuthAsync("root", TestServer.RootToken, all, "registry:catalog:*")).Access);
        Assert.Empty((await s.AuthAsync("mia", await s.TokenAsync(maintainer, TokenScopes.Api), "registry:catalog:*")).Access);

        // A token for git only has no registry ability: 403 DENIED, as GitLab answers.
        var gitOnly = await s.AuthAsync("dev", await s.TokenAsync(developer, TokenScopes.ReadRepository), all);
        Assert.Equal(HttpStatusCode.Forbidden, gitOnly.Status);
        Assert.Equal("DENIED", gitOnly.Json.GetProperty("errors")[0].GetProperty("code").GetString());

        Assert.True(await s.Stores.Identity.SetPasswordIfUnsetAsync("dev", Passwords.Hash("correct horse battery")));
        Assert.Equal(["repository:group/app:pull,push"], await Grants("dev", "correct horse battery"));
        var wrong = await s.AuthAsync("dev", "wrong horse", all);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("UNAUTHORIZED", wrong.Json.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.AuthAsync("dev", "glpat-unknown-token-value", all)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.AuthAsync("dev", "", all)).Status);
    }

    [Fact]
    public async Task Wrong_registry_passwords_count_as_failed_sign_ins_until_the_throttle_refuses_even_the_right_one()
    {
        await using var s = await RegistryAuthServer.StartAsync(Stores.Sqlite);
        await s.UserAsync("dev");
        Assert.True(await s.Stores.Identity.SetPasswordIfUnsetAsync("dev", Passwords.Hash("correct horse battery")));
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await s.AuthAsync("dev", "guess " + i)).Status); // the default: 10 per address and account
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await s.AuthAsync("dev", "correct horse battery")).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Deploy_tokens_act_on_their_project_by_scope_and_anonymous_callers_pull_public_projects_only(string store)
    {
        await using var s = await RegistryAuthServer.StartAsync(store);
        var app = await s.ProjectAsync("group/app");
        await s.ProjectAsync("group/other");
        await s.ProjectAsync("group/site", "public");
        const string both = "repository:group/app:pull,push";

        var reader = await s.DeployTokenAsync(app, "reader", "read_registry");
        Assert.Equal(["repository:group/app:pull"], (await s.AuthAsync("reader", reader, both, "repository:group/other:pull")).Access);
        Assert.Equal(["repository:group/app:pull"], (await s.AuthAsync("reader", reader, "repository:group/other:pull repository:group/app:pull")).Access);
        Assert.Equal(["repository:group/app:push"], (await s.AuthAsync("writer", await s.DeployTokenAsync(app, "writer", "write_registry"), both)).Access);
        Assert.Equal(["repository:group/app:pull,push"], (await s.AuthAsync("rw", await s.DeployTokenAsync(app, "rw", "read_registry,write_registry"), both)).Access);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.AuthAsync("git", await s.DeployTokenAsync(app, "git", "read_repository"), both)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.AuthAsync("someone-else", reader, both)).Status);
        Assert.Equal(["repository:group/site:pull"], (await s.AuthAsync("reader", reader, "repository:group/site:pull,push")).Access); // public: as anyone

        Assert.Equal(["repository:group/site:pull"], (await s.AuthAsync(null, null, "repository:group/site:pull,push")).Access);
        var privately = await s.AuthAsync(null, null, both);
        Assert.Equal(HttpStatusCode.Forbidden, privately.Status);
        Assert.Equal("access forbidden", privately.Json.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await s.AuthAsync(null, null)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await s.AuthForAsync("dependency_proxy", "root", TestServer.RootToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.AuthForAsync(null, "root", TestServer.RootToken)).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_repository_belongs_to_the_longest_project_path_in_any_case_with_at_most_three_names_below(string store)
    {
        await using var s = await RegistryAuthServer.StartAsync(store);
        var mixed = await s.ProjectAsync("Team/Sub/MixedCase");
        var grants = await s.AuthAsync("root", TestServer.RootToken,
            "repository:team/sub/mixedcase/a/b/c:push", "repository:team/sub/mixedcase/a/b/c/d:push", "repository:Team/Sub/MixedCase:push", "repository:nobody/here:pull");

        Assert.Equal(["repository:team/sub/mixedcase/a/b/c:push"], grants.Access);
        Assert.Equal(["a/b/c"], (await s.Stores.ContainerRepositories.ListAsync(mixed.Id)).Select(r => r.Name));
    }

    [Theory]
    [InlineData("group/app", "group/app|")]
    [InlineData("group/sub/app/cache", "group/sub/app/cache|;group/sub/app|cache;group/sub|app/cache")]
    [InlineData("a/b/c/d/e", "a/b/c/d/e|;a/b/c/d|e;a/b/c|d/e;a/b|c/d/e")]
    [InlineData("app", "")]
    [InlineData("Group/app", "")]
    [InlineData("group//app", "")]
    [InlineData("group/app-", "")]
    [InlineData("group/my__app.v2", "group/my__app.v2|")]
    public void A_repository_name_splits_into_project_path_and_the_rest_longest_first(string name, string expected) =>
        Assert.Equal(expected, string.Join(';', RegistryRepositoryName.Splits(name).Select(s => s.ProjectPath + "|" + s.Below)));
}
