using System.Diagnostics;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Storage.State;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests;

public sealed class StateJsonAndLatencyTests(ITestOutputHelper output)
{
    [Fact]
    public void A_stored_state_reads_back_to_the_same_json_with_images_services_caches_and_extras()
    {
        var result = PipelineCompiler.Compile(new CompileRequest(InMemoryConfigSource.Single("""
            variables: {GLOBAL: one}
            build:
              image: {name: "alpine:3", entrypoint: [""], docker: {platform: amd64}}
              services: [{name: "postgres:16", alias: db, command: [postgres]}]
              cache: {key: gems, paths: [vendor/]}
              artifacts: {paths: [out/], reports: {dotenv: build.env}, expire_in: 1 week}
              environment: {name: production, url: "https://example.com"}
              retry: {max: 2, when: [script_failure]}
              timeout: 10m
              tags: [docker]
              parallel: {matrix: [{ARCH: [amd64, arm64]}]}
              script: [make]
            """), new PipelineContext { Ref = "main" }));
        Assert.False(result.HasErrors);
        var state = PipelineEngine.Create(result.Plan!, 7, DateTimeOffset.UnixEpoch).State;

        var plan = StoredStateJson.Write(state.Plan);
        var back = StoredStateJson.ReadState(StoredStateJson.WriteHeader(state), StoredStateJson.ReadPlan(plan), state.Jobs.Select(j => StoredStateJson.ReadJob(StoredStateJson.Write(j))));

        Assert.Equal(plan, StoredStateJson.Write(back.Plan));
        Assert.Equal(state.Plan.Jobs.Length, back.Plan.Jobs.Length);
        Assert.Equal(state.Plan.Jobs[0].Image!.Entrypoint, back.Plan.Jobs[0].Image!.Entrypoint);
        Assert.Equal(state.Plan.Jobs[0].Services[0].Alias, back.Plan.Jobs[0].Services[0].Alias);
        Assert.Equal(state.Plan.Jobs[0].Timeout, back.Plan.Jobs[0].Timeout);
        Assert.Equal(state.Jobs.Select(j => (j.Name, j.Status)), back.Jobs.Select(j => (j.Name, j.Status)));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Pending_to_running_with_long_polling_on_loopback_is_fast(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromSeconds(10));
        var (_, runner) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync("warmup: {script: [echo]}");
        (await server.RequestJobAsync(runner)).ToString();

        var samples = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var poll = server.RequestJobAsync(runner);
            await Task.Delay(20);
            var clock = Stopwatch.StartNew();
            await server.CreatePipelineAsync($"job{i}: {{script: [echo]}}");
            var created = clock.Elapsed.TotalMilliseconds;
            Assert.NotNull(await poll);
            samples.Add(clock.Elapsed.TotalMilliseconds - created);
        }

        samples.Sort();
        output.WriteLine($"pipeline created → job received by a waiting runner: p50 {samples[samples.Count / 2]:F1} ms, max {samples[^1]:F1} ms");
        Assert.True(samples[samples.Count / 2] < 200, $"p50 {samples[samples.Count / 2]} ms");
    }
}
