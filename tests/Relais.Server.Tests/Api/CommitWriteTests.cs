using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>The repository API's write side: commits with actions and the files API, driven by python-gitlab, checked with real git.</summary>
public sealed class CommitWriteTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_api_commits_in_a_row_each_land_on_the_branch_in_well_under_a_second()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var samples = new List<double>();
        var clock = new System.Diagnostics.Stopwatch();
        for (var i = 0; i < 20; i++)
        {
            clock.Restart();
            var (status, _, _) = await repo.Api.PostAsync(
                $"projects/{repo.Project}/repository/commits",
                $$"""{"branch":"main","commit_message":"c{{i}}","actions":[{"action":"update","file_path":"src/app.txt","content":"{{i}}"},{"action":"create","file_path":"n/{{i}}.txt","content":"x"}]}""");
            samples.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.Created, status);
        }

        samples.Sort();
        output.WriteLine($"POST /repository/commits (2 actions, no CI file): p50 {samples[10]:F0} ms, max {samples[^1]:F0} ms over 20");
        Assert.True(samples[10] < 1000, $"p50 {samples[10]} ms");
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_commits_actions_and_writes_files_and_a_clone_sees_them_and_the_commit_runs_a_pipeline()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var url = repo.Api.Server.Host.ExternalUrl;
        var result = await PythonGitLab.RunAsync(url, TestServer.RootToken, $$"""
            import base64
            p = gl.projects.get({{repo.Project}})
            c = p.commits.create({'branch': 'main', 'commit_message': 'Through the API', 'author_name': 'Grace', 'author_email': 'grace@example.com', 'actions': [
                {'action': 'create', 'file_path': '.gitlab-ci.yml', 'content': 'build:\n  script: [echo hi]\n'},
                {'action': 'create', 'file_path': 'bin/run.sh', 'content': base64.b64encode(b'#!/bin/sh\n').decode(), 'encoding': 'base64', 'execute_filemode': True},
                {'action': 'update', 'file_path': 'src/app.txt', 'content': 'three\n'},
                {'action': 'move', 'file_path': 'docs/README.md', 'previous_path': 'README.md'},
            ]})
            p.files.create({'file_path': 'notes/todo.txt', 'branch': 'main', 'content': 'one', 'commit_message': 'Add todo'})
            f = p.files.get(file_path='notes/todo.txt', ref='main')
            f.content = 'two'
            f.save(branch='main', commit_message='Update todo')
            p.files.delete(file_path='src/app.txt', branch='main', commit_message='Remove app')
            b = p.commits.create({'branch': 'feature/api', 'start_branch': 'main', 'commit_message': 'Branch', 'actions': [{'action': 'create', 'file_path': 'f.txt', 'content': 'f'}]})
            try:
                p.commits.create({'branch': 'main', 'commit_message': 'Again', 'actions': [{'action': 'create', 'file_path': 'docs/README.md', 'content': 'x'}]})
                err = None
            except gitlab.GitlabCreateError as e:
                err = [e.response_code, e.error_message]
            print(json.dumps({'commit': c.attributes, 'branch': b.id, 'error': err}))
            """);
        var commit = result.GetProperty("commit");
        var sha = commit.GetProperty("id").GetString()!;
        Assert.Equal("Grace", commit.GetProperty("author_name").GetString());
        Assert.Equal([repo.Second], commit.GetProperty("parent_ids").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Object, commit.GetProperty("last_pipeline").ValueKind);
        Assert.Equal(sha, commit.GetProperty("last_pipeline").GetProperty("sha").GetString());
        Assert.Equal(400, result.GetProperty("error")[0].GetInt32());
        Assert.Equal("A file with this name already exists", result.GetProperty("error")[1].GetString());

        using var clone = new GitClient();
        clone.Ok("clone", "--quiet", repo.Remote, ".");
        Assert.Equal("two", File.ReadAllText(Path.Combine(clone.Dir, "notes", "todo.txt")));
        Assert.Equal("# demo\n", File.ReadAllText(Path.Combine(clone.Dir, "docs", "README.md")));
        Assert.False(File.Exists(Path.Combine(clone.Dir, "README.md")));
        Assert.False(File.Exists(Path.Combine(clone.Dir, "src", "app.txt")));
        Assert.Contains("100755", clone.Ok("ls-files", "-s", "bin/run.sh"), StringComparison.Ordinal);
        Assert.Equal(result.GetProperty("branch").GetString(), clone.Ok("rev-parse", "origin/feature/api").Trim());
        Assert.Equal("Remove app", clone.Ok("log", "-1", "--format=%s", "origin/main").Trim());

        // The API commit ran the pipeline a push would (and so did the later ones with the configuration), and was audited.
        var (_, pipelines, _) = await repo.Api.GetAsync($"projects/{repo.Project}/pipelines?per_page=100");
        Assert.Contains(pipelines.EnumerateArray(), p => p.GetProperty("sha").GetString() == sha && p.GetProperty("source").GetString() == "push");
        var audit = await repo.Api.Server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 100);
        Assert.Equal(5, audit.Items.Count(e => e.Action == "commit_created"));
    }

    [Fact]
    public async Task Commits_are_refused_with_GitLab_messages_for_a_stale_file_a_missing_start_an_existing_branch_and_too_low_a_role()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/commits";
        await ExpectAsync(repo, route, $$"""{"branch":"main","commit_message":"m","actions":[{"action":"update","file_path":"src/app.txt","content":"x","last_commit_id":"{{repo.First}}"}]}""",
            HttpStatusCode.BadRequest, "The file has changed since you started editing it: src/app.txt");
        await ExpectAsync(repo, route, """{"branch":"new","start_branch":"nowhere","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""",
            HttpStatusCode.BadRequest, "You can only create or edit files when you are on a branch");
        await ExpectAsync(repo, route, """{"branch":"feature/one","start_branch":"main","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""",
            HttpStatusCode.BadRequest, "A branch called 'feature/one' already exists. Switch to that branch in order to make changes");
        await ExpectAsync(repo, route, """{"branch":"main","commit_message":"m","actions":[{"action":"rename","file_path":"x"}]}""",
            HttpStatusCode.BadRequest, "400 Bad request - actions[action] does not have a valid value");
        await ExpectAsync(repo, route, """{"branch":"main","commit_message":"m","actions":[{"action":"create","file_path":"../x","content":"x"}]}""",
            HttpStatusCode.BadRequest, "400 Bad request - file_path is missing or invalid");
        await ExpectAsync(repo, route, $$"""{"branch":"main","start_sha":"{{repo.First}}","start_branch":"main","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""",
            HttpStatusCode.BadRequest, "You can't pass both start_branch and start_sha");

        // force replaces an existing branch with a commit on the start.
        var (forced, json, _) = await repo.Api.PostAsync(route, $$"""{"branch":"feature/one","start_sha":"{{repo.Second}}","force":true,"commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.Created, forced);
        Assert.Equal([repo.Second], json.GetProperty("parent_ids").EnumerateArray().Select(p => p.GetString()));

        // alice has no role on root's private project; anonymous callers must sign in.
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.PostAsync(route, "{}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await repo.Api.PostAsync(route, "{}", null)).Status);
    }

    [Fact]
    public async Task A_reporter_cannot_commit_and_the_first_commit_of_a_project_without_a_repository_creates_it()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("fresh", "build:\n  script: [echo]\n", visibility: "public");
        var route = $"projects/{project}/repository/commits";
        var body = """{"branch":"main","commit_message":"Initial","actions":[{"action":"create","file_path":"README.md","content":"hello"}]}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync(route, body, ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/repository/files/README.md", """{"branch":"main","content":"x","commit_message":"m"}""", ApiFixture.AliceToken)).Status);

        var (status, commit, _) = await api.PostAsync(route, body);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Empty(commit.GetProperty("parent_ids").EnumerateArray());
        var (_, file, _) = await api.GetAsync($"projects/{project}/repository/files/README.md?ref=main");
        Assert.Equal("aGVsbG8=", file.GetProperty("content").GetString());
    }

    private static async Task ExpectAsync(RepositoryApiFixture repo, string route, string body, HttpStatusCode status, string message)
    {
        var (got, json, _) = await repo.Api.PostAsync(route, body);
        Assert.Equal(status, got);
        Assert.Equal(message, json.GetProperty("message").GetString());
    }
}
