using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>Who may read what: job tokens, runner tokens, other users, anonymous callers.</summary>
public sealed class AccessTests
{
    private const string TwoStages = """
        stages: [build, test]
        build: { stage: build, script: [make] }
        test: { stage: test, script: [check] }
        """;

    [Fact]
    public async Task A_job_token_reads_only_its_project_repository_and_its_pipeline_artifacts_and_only_while_its_job_runs()
    {
        await using var f = await SecurityFixture.StartAsync();
        var a = await f.ProjectAsync("a", TwoStages);
        var b = await f.ProjectAsync("b", TwoStages);
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(a);
        await f.RunPipelineAsync(a);
        await f.RunPipelineAsync(b);
        await f.EnsureRepositoryAsync("root/a"); // (after the pipelines: they come from the stored configuration)
        await f.EnsureRepositoryAsync("root/b");
        var build1 = (await f.TakeJobAsync(runner))!;
        var build2 = (await f.TakeJobAsync(runner))!;
        var otherProject = (await f.TakeJobAsync(runner))!;
        using (var upload = await f.UploadAsync(build1.Id, build1.Token, Archives.Zip(("out.txt", "one"))))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        // Its own project's repository, read-only; another project does not exist for it.
        Assert.Equal(HttpStatusCode.OK, await f.GitInfoRefsAsync("root/a", "gitlab-ci-token", build1.Token));
        Assert.Equal(HttpStatusCode.NotFound, await f.GitInfoRefsAsync("root/b", "gitlab-ci-token", build1.Token));
        Assert.Equal(HttpStatusCode.Forbidden, await f.GitInfoRefsAsync("root/a", "gitlab-ci-token", build1.Token, "git-receive-pack"));

        // Artifacts: not from another pipeline of the same project, not from another project.
        Assert.Equal(HttpStatusCode.Forbidden, await f.DownloadAsync(build1.Id, build2.Token));
        Assert.Equal(HttpStatusCode.Forbidden, await f.DownloadAsync(build1.Id, otherProject.Token));

        (await f.Server.UpdateJobAsync(build1, "success")).Dispose();
        var test1 = (await f.TakeJobAsync(runner))!;
        Assert.Equal("test", test1.JobInfo.Name);
        Assert.Equal(HttpStatusCode.OK, await f.DownloadAsync(build1.Id, test1.Token));

        // The job ended: its token opens nothing any more.
        Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("root/a", "gitlab-ci-token", build1.Token));
        Assert.Equal(HttpStatusCode.Forbidden, await f.DownloadAsync(build1.Id, build1.Token));
        (await f.Server.UpdateJobAsync(test1, "success")).Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, await f.DownloadAsync(build1.Id, test1.Token));
    }

    [Fact]
    public async Task A_runner_token_cannot_read_projects()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("demo", TwoStages, visibility: "private");
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(project);
        await f.EnsureRepositoryAsync("root/demo");
        var job = (await f.TakeJobAsync(runner))!;
        (await f.UploadAsync(job.Id, job.Token, Archives.Zip(("x", "y")))).Dispose();

        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, $"projects/{project}", runner)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "projects", runner)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, $"projects/{project}/jobs/{job.Id}/trace", runner)).Status);
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, $"api/v4/projects/{project}"))
        {
            bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", runner);
            using var response = await f.Http.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("root/demo", "gitlab-ci-token", runner));
        Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("root/demo", "root", runner));
        Assert.Equal(HttpStatusCode.Forbidden, await f.DownloadAsync(job.Id, runner));
    }

    [Fact]
    public async Task Private_projects_are_invisible_to_other_users_and_anonymous_callers_in_the_api_and_git()
    {
        await using var f = await SecurityFixture.StartAsync();
        var hidden = await f.ProjectAsync("hidden", TwoStages, visibility: "private");
        var open = await f.ProjectAsync("open", TwoStages, visibility: "public");
        var pipeline = await f.RunPipelineAsync(hidden);
        await f.EnsureRepositoryAsync("root/hidden");
        await f.EnsureRepositoryAsync("root/open");
        Assert.Equal(HttpStatusCode.Created, (await f.RestAsync(HttpMethod.Post, $"projects/{hidden}/variables", TestServer.RootToken, """{"key":"K","value":"v"}""")).Status);

        foreach (var caller in new[] { f.AliceToken, null })
        {
            foreach (var path in new[] { $"projects/{hidden}", "projects/root%2Fhidden", $"projects/{hidden}/pipelines", $"projects/{hidden}/pipelines/{pipeline}", $"projects/{hidden}/jobs", $"projects/{hidden}/variables/K" })
            {
                var (status, json) = await f.RestAsync(HttpMethod.Get, path, caller);
                Assert.True(status == HttpStatusCode.NotFound || (caller is null && status == HttpStatusCode.Unauthorized), $"{path} as {caller ?? "anonymous"}: {status}");
                Assert.Equal(System.Text.Json.JsonValueKind.String, json.GetProperty("message").ValueKind);
            }

            var (_, list) = await f.RestAsync(HttpMethod.Get, "projects", caller);
            Assert.DoesNotContain(list.EnumerateArray(), p => p.GetProperty("id").GetInt64() == hidden);
            Assert.Contains(list.EnumerateArray(), p => p.GetProperty("id").GetInt64() == open);
            Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, $"projects/{open}", caller)).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await f.RestAsync(HttpMethod.Post, $"projects/{hidden}/pipeline?ref=main", f.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await f.RestAsync(HttpMethod.Put, $"projects/{hidden}", f.AliceToken, """{"visibility":"public"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Get, $"projects/{open}/variables", f.AliceToken)).Status);

        // git: the private repository does not exist for alice; anonymous callers are asked for credentials.
        Assert.Equal(HttpStatusCode.NotFound, await f.GitInfoRefsAsync("root/hidden", "alice", f.AliceToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("root/hidden", null, null));
        Assert.Equal(HttpStatusCode.OK, await f.GitInfoRefsAsync("root/open", "alice", f.AliceToken));
        Assert.Equal(HttpStatusCode.OK, await f.GitInfoRefsAsync("root/open", null, null));
        Assert.Equal(HttpStatusCode.Forbidden, await f.GitInfoRefsAsync("root/open", "alice", f.AliceToken, "git-receive-pack"));

        // Alice's own private project: hers and the administrator's, nobody else's.
        var mine = await f.ProjectAsync("mine", TwoStages, token: f.AliceToken);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, $"projects/{mine}", f.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, $"projects/{mine}", TestServer.RootToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await f.RestAsync(HttpMethod.Get, $"projects/{mine}", null)).Status);
    }

    [Fact]
    public async Task Only_administrators_create_users_and_tokens()
    {
        await using var f = await SecurityFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Post, "users", f.AliceToken, """{"username":"mallory","admin":true}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Post, $"users/{f.AliceId}/personal_access_tokens", f.AliceToken, """{"name":"more"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Post, "users", null, """{"username":"mallory"}""")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await f.RestAsync(HttpMethod.Post, "users", TestServer.RootToken, """{"username":"alice"}""")).Status);
        var (status, me) = await f.RestAsync(HttpMethod.Get, "user", f.AliceToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", me.GetProperty("username").GetString());
        Assert.False(me.GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    public async Task A_revoked_personal_access_token_opens_nothing_any_more()
    {
        await using var f = await SecurityFixture.StartAsync();
        var (_, created) = await f.RestAsync(HttpMethod.Post, $"users/{f.AliceId}/personal_access_tokens", TestServer.RootToken, """{"name":"short-lived","scopes":["api"]}""");
        var tokenId = created.GetProperty("id").GetInt64();
        var token = created.GetProperty("token").GetString()!;
        await f.ProjectAsync("mine", TwoStages, token: token);
        await f.RestAsync(HttpMethod.Get, "projects", token);
        Assert.Equal(HttpStatusCode.OK, await f.GitInfoRefsAsync("alice/mine", "alice", token, "git-receive-pack"));

        // Nobody else may revoke it (404, as if it did not exist); its owner may.
        Assert.Equal(HttpStatusCode.NotFound, (await f.RestAsync(HttpMethod.Delete, "personal_access_tokens/1", f.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await f.RestAsync(HttpMethod.Delete, $"personal_access_tokens/{tokenId}", token)).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "user", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "projects", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("alice/mine", "alice", token));
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", f.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", TestServer.RootToken)).Status);
    }
}
