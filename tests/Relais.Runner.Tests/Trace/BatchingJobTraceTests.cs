using System.Text;
using Relais.Runner.Tests.Support;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Trace;

public class BatchingJobTraceTests
{
    [Fact]
    public async Task Hands_out_batches_at_the_size_limit_at_the_interval_and_at_the_end()
    {
        var time = new ManualTimeProvider();
        var trace = new BatchingJobTrace(maxBatchBytes: 8, maxDelay: TimeSpan.FromSeconds(3), time);
        await using var batches = trace.ReadBatchesAsync().GetAsyncEnumerator();

        trace.Write("abc"u8);
        var pending = batches.MoveNextAsync().AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted, "a small write waits for the interval");
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("abc", Encoding.UTF8.GetString(batches.Current.Span));

        trace.Write("0123456789"u8);
        Assert.True(await batches.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("0123456789", Encoding.UTF8.GetString(batches.Current.Span));

        trace.Write("end"u8);
        trace.Complete();
        Assert.True(await batches.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("end", Encoding.UTF8.GetString(batches.Current.Span));
        Assert.False(await batches.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
