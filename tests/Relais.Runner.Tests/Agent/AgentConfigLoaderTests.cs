using Relais.Protocol.Jobs;
using Relais.Runner.Agent;

namespace Relais.Runner.Tests.Agent;

public sealed class AgentConfigLoaderTests
{
    [Fact]
    public void A_file_with_several_runners_is_read_with_every_key()
    {
        const string yaml = """
            concurrent: 6
            shutdown_timeout: 120
            runners:
              - name: fast
                url: http://127.0.0.1:8080
                token: glrt-aaaa
                limit: 4
                output_limit: 8192
                request_concurrency: 2
                tags: [linux, big]
                builds_dir: b
                cache_dir: /var/cache/relais
                environment: ["A=1", "B=x=y"]
                pre_get_sources_script: echo pre-get
                pre_build_script: [echo pre-1, echo pre-2]
                post_build_script: echo post
              - url: https://ci.example.com/
                token: glrt-bbbb
                tags: a, b
                environment: { C: "3" }
            """;
        var result = AgentConfigLoader.Load("runner.yml", yaml, "/etc/relais");

        Assert.Null(result.Error);
        var config = result.Config!;
        Assert.Equal(6, config.Concurrent);
        Assert.Equal(TimeSpan.FromSeconds(120), config.ShutdownTimeout);
        var (fast, other) = (config.Runners[0], config.Runners[1]);
        Assert.Equal(("fast", "glrt-aaaa", 4, 2), (fast.Name, fast.Token, fast.Limit, fast.RequestConcurrency));
        Assert.Equal(new Uri("http://127.0.0.1:8080"), fast.Url);
        Assert.Equal(["linux", "big"], fast.Tags);
        Assert.Equal(8L * 1024 * 1024, fast.OutputLimit);
        Assert.Equal(("/etc/relais/b", "/var/cache/relais"), (fast.BuildsDir, fast.CacheDir));
        Assert.Equal([new JobVariable("A", "1"), new JobVariable("B", "x=y")], fast.Environment);
        Assert.Equal(["echo pre-get"], fast.PreGetSourcesScript);
        Assert.Equal(["echo pre-1", "echo pre-2"], fast.PreBuildScript);
        Assert.Equal(["echo post"], fast.PostBuildScript);
        Assert.Equal(("relais-runner", "shell", 0, 1), (other.Name, other.Executor, other.Limit, other.RequestConcurrency));
        Assert.Equal(["a", "b"], other.Tags);
        Assert.Equal("/etc/relais/builds", other.BuildsDir);
        Assert.Equal([new JobVariable("C", "3")], other.Environment);
    }

    [Theory]
    [InlineData("concurrent: 2\nrunners:\n  - url: http://x\n    tokn: glrt-a\n", "runner.yml:4:5: unknown runner key `tokn`")]
    [InlineData("concurrent: two\nrunners: []\n", "runner.yml:1:13: `concurrent` should be a whole number of at least 1, not `two`")]
    [InlineData("runners:\n  - url: http://x\n", "runner.yml:2:5: this runner has no `token`")]
    [InlineData("runners:\n  - url: ftp://x\n    token: t\n", "runner.yml:2:10: `ftp://x` is not an http(s) URL")]
    [InlineData("runners:\n  - url: http://x\n    token: t\n    executor: podman\n", "runner.yml:4:15: unknown executor `podman`; known: shell, docker, auto")]
    [InlineData("concurrent: 1\n", "runner.yml:1:1: no runners: add a `runners:` list with at least one entry")]
    [InlineData("runners: [\n", "runner.yml:2:1: ")]
    public void A_bad_file_gives_one_error_with_its_position(string yaml, string expected)
    {
        var result = AgentConfigLoader.Load("runner.yml", yaml, "/tmp");
        Assert.Null(result.Config);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_scripts_wrap_the_user_script_and_precede_the_jobs_own_hook()
    {
        var job = Payloads.Job(["echo user"], afterScript: ["echo after"]);
        job.Hooks = [new JobHook { Name = StepNames.PreGetSourcesScript, Script = ["echo job-hook"] }];
        var entry = new RunnerEntry
        {
            Url = new Uri("http://x"), Token = "t", PreGetSourcesScript = ["echo runner-hook"], PreBuildScript = ["echo pre"], PostBuildScript = ["echo post"],
        };

        var adapted = RunnerHooks.Apply(job, entry);
        Assert.Equal(["echo pre", "echo user", "echo post"], adapted.Steps[0].Script);
        Assert.Equal(["echo after"], adapted.Steps[1].Script);
        Assert.Equal(["echo runner-hook", "echo job-hook"], Assert.Single(adapted.Hooks).Script);
        Assert.Same(job, RunnerHooks.Apply(job, entry with { PreGetSourcesScript = [], PreBuildScript = [], PostBuildScript = [] }));
    }
}
