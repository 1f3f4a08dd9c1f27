using System.Net;
using Relais.Protocol;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using Relais.Server.Tests.Webhooks;

namespace Relais.Server.Tests.Git;

/// <summary>
/// <c>git push -o …</c> with the real git client against the real server: the coordinator advertises
/// <c>push-options</c>, <c>ci.skip</c> makes the push's pipelines skipped, <c>ci.variable</c> gives them variables a job
/// sees, <c>ci.input</c> fills <c>spec:inputs</c>, and the push webhook carries them in GitLab's shape.
/// </summary>
public sealed class PushOptionTests
{
    private const string Config = """
        build:
          script: [echo build]
        """;

    private static string Remote(TestServer server) => $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Push_with_ci_skip_makes_a_skipped_pipeline_without_jobs_and_a_push_without_options_runs(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        git.Commit("an ordinary message");

        git.Ok("push", "--quiet", "-o", "ci.skip", Remote(server), "main");

        var skipped = await server.Host.Stores.Pipelines.GetPipelineAsync(1);
        Assert.Equal(CiStatus.Skipped, skipped!.Status);
        Assert.Empty(await server.Host.Stores.Pipelines.JobsOfPipelineAsync(1));

        git.Write("README.md", "more");
        git.Commit("another ordinary message");
        git.Ok("push", "--quiet", Remote(server), "main");
        var normal = await server.Host.Stores.Pipelines.GetPipelineAsync(2);
        Assert.Equal(CiStatus.Pending, normal!.Status);
        Assert.Single(await server.Host.Stores.Pipelines.JobsOfPipelineAsync(2));
    }

    [PythonGitLabFact]
    public async Task Push_with_ci_variables_gives_the_job_and_the_pipeline_variables_api_those_values()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var (_, runner) = await server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            variables:
              A: from the file
            build:
              script: [echo "$A $B"]
            """);
        git.Commit("first");

        git.Ok("push", "--quiet", "-o", "ci.variable=A=1", "-o", "ci.variable=B=two words", "-o", "ci.variable=BROKEN", "-o", "unknown.option=x", Remote(server), "main");

        var job = (await server.RequestJobAsync(runner))!;
        Assert.Equal("1", job.Variables.Last(v => v.Key == "A").Value);
        Assert.Equal("two words", job.Variables.Last(v => v.Key == "B").Value);
        Assert.DoesNotContain(job.Variables, v => v.Key == "BROKEN");
        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            pipeline = p.pipelines.get(p.pipelines.list(get_all=True)[0].id)
            print(json.dumps({"status": pipeline.status, "variables": sorted([[v.key, v.value, v.variable_type] for v in pipeline.variables.list()])}))
            """);
        Assert.Equal("running", result.GetProperty("status").GetString()); // its job was claimed above
        Assert.Equal(
            ["A|1|env_var", "B|two words|env_var"],
            result.GetProperty("variables").EnumerateArray().Select(v => string.Join('|', v.EnumerateArray().Select(f => f.GetString()))));
    }

    [Fact]
    public async Task Push_with_ci_input_fills_the_files_spec_inputs()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            spec:
              inputs:
                level:
                  type: number
                  default: 1
            ---
            high:
              rules:
                - if: '"$[[ inputs.level ]]" == "10"'
              script: [echo high]
            low:
              rules:
                - if: '"$[[ inputs.level ]]" == "1"'
              script: [echo low]
            """);
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        git.Write("README.md", "more");
        git.Commit("second");

        git.Ok("push", "--quiet", "-o", "ci.input=level=10", Remote(server), "main");

        Assert.Equal(["low"], (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(1)).Select(j => j.Name));
        Assert.Equal(["high"], (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(2)).Select(j => j.Name));
    }

    [Fact]
    public async Task The_push_hook_carries_the_push_options_in_gitlabs_shape()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        using var git = GitClient.Init();
        git.Write("README.md", "hello");
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":true}""");

        git.Write("README.md", "again");
        git.Commit("second");
        git.Ok("push", "--quiet", "-o", "ci.skip", "-o", "ci.variable=A=1", "-o", "ci.variable=A=1", "-o", "mr.label=x", "-o", "integrations.skip_ci", "-o", "nonsense", Remote(server), "main");
        var withOptions = await listener.NextAsync();
        git.Write("README.md", "once more");
        git.Commit("third");
        git.Ok("push", "--quiet", Remote(server), "main");
        var without = await listener.NextAsync();

        Assert.Equal(
            """{"ci":{"skip":true,"variable":{"A=1":2}},"merge_request":{"label":{"x":1}},"integrations":{"skip_ci":true}}""",
            withOptions.Body.GetProperty("push_options").GetRawText());
        Assert.Equal("{}", without.Body.GetProperty("push_options").GetRawText());
    }

    [Fact]
    public async Task Receive_pack_advertises_push_options_and_upload_pack_does_not()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");

        var receive = await AdvertisementAsync(server, "git-receive-pack");
        var upload = await AdvertisementAsync(server, "git-upload-pack");

        Assert.Contains(" push-options", receive, StringComparison.Ordinal);
        Assert.DoesNotContain("push-options", upload, StringComparison.Ordinal);
    }

    private static async Task<string> AdvertisementAsync(TestServer server, string service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "root/demo.git/info/refs?service=" + service);
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("root:" + TestServer.RootToken)));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
