using System.Diagnostics;
using System.Text.Json.Nodes;
using Relais.Runner.Docker;

/// <summary>
/// The Engine API client alone (mode <c>client</c>): per round, a busybox container running <c>echo hello</c> is
/// created, started, its output read, waited for and removed — wall time and bytes allocated by this process
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) — and the same with 20 MB of output. The output is read two ways:
/// <c>logs?follow=1</c> (what the executor does) and <c>attach</c> before start (a raw POST through the same
/// transport; the client has no attach call). The figures in docs/docker-executor.md ("Our Engine API client or
/// Docker.DotNet.Enhanced") were taken with this shape of round.
/// </summary>
internal static class ClientBench
{
    private const string Busybox = "relais-test/busybox:latest";
    private const string Label = "relais.bench";

    public static async Task<int> RunAsync(int rounds)
    {
        var endpoint = DockerEndpoint.FromEnvironment();
        using var docker = new DockerClient(endpoint);
        using var raw = endpoint.CreateHttpClient(DockerClient.ApiVersion);
        var prefix = "relais-bench-client-" + Environment.ProcessId;
        var next = 0;
        string[] echo = ["echo", "hello"];
        string[] big = ["sh", "-c", "dd if=/dev/zero bs=1048576 count=20 2>/dev/null"];

        async Task<long> RoundAsync(string[] command, bool attach)
        {
            var id = await docker.CreateContainerAsync($"{prefix}-{next++}", Spec(command), CancellationToken.None);
            long bytes = 0;
            try
            {
                if (attach)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"containers/{id}/attach?stream=1&stdout=1&stderr=1", UriKind.Relative));
                    using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    response.EnsureSuccessStatusCode();
                    await using var stream = await response.Content.ReadAsStreamAsync();
                    await docker.StartContainerAsync(id, CancellationToken.None);
                    await MultiplexedStream.CopyAsync(stream, (_, data) => bytes += data.Length, CancellationToken.None);
                }
                else
                {
                    await docker.StartContainerAsync(id, CancellationToken.None);
                    await docker.LogsAsync(id, follow: true, (_, data) => bytes += data.Length, CancellationToken.None);
                }

                var exit = await docker.WaitContainerAsync(id, CancellationToken.None);
                return exit == 0 ? bytes : throw new InvalidOperationException($"the container exited with {exit}");
            }
            finally
            {
                await docker.RemoveContainerAsync(id, CancellationToken.None);
            }
        }

        async Task MeasureAsync(string what, string[] command, int count)
        {
            var logs = new Sample();
            var attach = new Sample();
            for (var i = 0; i < count; i++)
            {
                await logs.AddAsync(() => RoundAsync(command, attach: false));
                await attach.AddAsync(() => RoundAsync(command, attach: true));
            }

            Console.WriteLine($"{what}, logs?follow=1 (executor's path): {logs}");
            Console.WriteLine($"{what}, attach before start:            {attach}");
        }

        await RoundAsync(echo, attach: false); // JIT and the first connection
        await RoundAsync(echo, attach: true);
        Console.WriteLine($"client rounds: {rounds} (echo), {Math.Max(3, rounds / 5)} (20 MB); medians per round; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        await MeasureAsync("echo hello", echo, rounds);
        await MeasureAsync("20 MB     ", big, Math.Max(3, rounds / 5));
        return 0;
    }

    private static JsonObject Spec(string[] command) => new()
    {
        ["Image"] = Busybox,
        ["Cmd"] = new JsonArray([.. command.Select(c => (JsonNode?)JsonValue.Create(c))]),
        ["AttachStdout"] = true,
        ["AttachStderr"] = true,
        ["Labels"] = new JsonObject { [Label] = "client" },
    };

    /// <summary>Wall times and allocated bytes of rounds; prints medians.</summary>
    private sealed class Sample
    {
        private readonly List<double> _milliseconds = [];
        private readonly List<double> _allocated = [];
        private long _bytes;

        public async Task AddAsync(Func<Task<long>> round)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            _bytes = await round();
            _milliseconds.Add(watch.Elapsed.TotalMilliseconds);
            _allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        public override string ToString() =>
            $"{Median(_milliseconds),6:F0} ms, {Median(_allocated) / 1024,6:F0} KiB allocated ({_bytes} bytes of output)";

        private static double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
