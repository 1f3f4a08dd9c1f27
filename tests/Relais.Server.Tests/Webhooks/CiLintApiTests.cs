using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary><c>POST/GET /projects/:id/ci/lint</c> through python-gitlab and plain HTTP, with Relais's own diagnostics.</summary>
public sealed partial class CiLintApiTests
{
    private const string Valid = "stages: [build, test]\nbuild:\n  stage: build\n  script: [make]\nunit:\n  stage: test\n  script: [make test]\n  needs: [build]\n";

    [PythonGitLabFact]
    public async Task Python_gitlab_lints_content_and_the_projects_own_file()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.ProjectWithConfigAsync("demo", Valid);

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            good = p.ci_lint.create({"content": "build:\n  script: [make]\n", "include_jobs": True})
            bad = p.ci_lint.create({"content": "build:\n  script: [make]\n  when: sometimes\n"})
            own = p.ci_lint.get(include_jobs=True)
            print(json.dumps({"good": good.valid, "jobs": [j["name"] for j in good.jobs], "bad": bad.valid, "errors": bad.errors,
                              "own": own.valid, "own_jobs": [j["name"] for j in own.jobs], "merged": own.merged_yaml}))
            """);

        Assert.True(result.GetProperty("good").GetBoolean());
        Assert.Equal(["build"], result.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()));
        Assert.False(result.GetProperty("bad").GetBoolean());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Matches(LineColumn(), error);
        Assert.True(result.GetProperty("own").GetBoolean());
        Assert.Equal(["build", "unit"], result.GetProperty("own_jobs").EnumerateArray().Select(j => j.GetString()));
        Assert.Equal(Valid, result.GetProperty("merged").GetString());
    }

    [Fact]
    public async Task Broken_yaml_is_invalid_with_its_line_and_column_and_reading_needs_reporter_writing_developer()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Valid);

        var (status, body, _) = await api.PostAsync($"projects/{project}/ci/lint", """{"content":"build:\n  script: [make\n  stage: test\n"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("valid").GetBoolean());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Matches(LineColumn(), error);
        Assert.Empty(body.GetProperty("warnings").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("merged_yaml").ValueKind);
        Assert.Empty(body.GetProperty("includes").EnumerateArray());

        var (missing, _, _) = await api.PostAsync($"projects/{project}/ci/lint", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        var (alice, _, _) = await api.PostAsync($"projects/{project}/ci/lint", """{"content":"a: b"}""", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.NotFound, alice);
        var (own, ownBody, _) = await api.GetAsync($"projects/{project}/ci/lint");
        Assert.Equal((HttpStatusCode.OK, true), (own, ownBody.GetProperty("valid").GetBoolean()));
    }

    [GeneratedRegex(@"^\.gitlab-ci\.yml:\d+:\d+: ")]
    private static partial Regex LineColumn();
}
