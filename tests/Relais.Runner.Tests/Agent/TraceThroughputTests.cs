using System.Diagnostics;
using Relais.Protocol.Requests;
using Relais.Runner.Trace;
using Relais.Runner.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Runner.Tests.Agent;

public sealed class TraceThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_printing_32_MB_reaches_the_server_whole_over_loopback()
    {
        await using var h = await AgentHarness.StartAsync(entry: e => e with { OutputLimit = 0 });
        const int lines = 512 * 1024; // 64-byte lines: 32 MiB
        var job = Payloads.Job([$"awk 'BEGIN {{ for (i = 0; i < {lines}; i++) print \"012345678901234567890123456789012345678901234567890123456789012\" }}'"]);
        var clock = Stopwatch.StartNew();
        h.Coordinator.Enqueue(job);

        var final = await h.Coordinator.FinalAsync(job.Id, 60);
        clock.Stop();
        var bytes = h.Coordinator.Jobs[job.Id].Trace.ToArray();
        Assert.Equal(JobStates.Success, final.State);
        Assert.Equal(bytes.LongLength, final.Output!.Bytesize);
        Assert.Equal("crc32:" + TraceChecksum.Compute(bytes).ToString("x8"), final.Output.Checksum);
        Assert.True(bytes.Length > lines * 64L, bytes.Length.ToString());
        var patches = h.Coordinator.Requests.Count(r => r.Method == "PATCH");
        var mbPerSecond = bytes.Length / 1e6 / clock.Elapsed.TotalSeconds;
        output.WriteLine($"{bytes.Length / 1e6:0.0} MB in {clock.Elapsed.TotalMilliseconds:0} ms (queue → final update): {mbPerSecond:0} MB/s, {patches} patches");
    }
}
