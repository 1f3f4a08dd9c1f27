using System.Collections.Concurrent;
using Relais.Engine;
using Relais.Pipelines.Plan;

namespace Relais.Driver.Tests;

/// <summary>Plans by hand, the way the compiler hands them to the engine.</summary>
internal static class Plans
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static JobPlan Job(string name, string stage = "test") => new() { Name = name, BaseName = name, Stage = stage, Script = ["true"] };

    public static PipelinePlan Of(params JobPlan[] jobs) =>
        new([".pre", "build", "test", "deploy", ".post"], [.. jobs], [], null, new AutoCancelPlan());

    /// <summary>A deploy job in resource group <c>prod</c>, after a build job when <paramref name="afterBuild"/>.</summary>
    public static PipelinePlan Deploy(bool afterBuild = false) => afterBuild
        ? Of(Job("build", "build"), Job("deploy", "deploy") with { ResourceGroup = "prod" })
        : Of(Job("deploy", "deploy") with { ResourceGroup = "prod" });

    /// <summary>Polls until <paramref name="condition"/> holds (timers fire on the thread pool), for at most 10 s.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), what);
    }
}

/// <summary>Hooks that record what they were told, per pipeline.</summary>
internal sealed class RecordingHooks : PipelineHooks
{
    public ConcurrentQueue<(long Pipeline, string Job)> Enqueued { get; } = new();

    public ConcurrentQueue<(long Pipeline, CancelJob Cancel)> Canceled { get; } = new();

    public override void JobsEnqueued(long pipelineId, EngineStep step)
    {
        foreach (var job in step.EffectsOf<EnqueueJob>())
        {
            Enqueued.Enqueue((pipelineId, job.Job));
        }
    }

    public override void JobCanceled(long pipelineId, CancelJob cancel) => Canceled.Enqueue((pipelineId, cancel));
}

/// <summary>
/// A memory store that yields inside each transition and counts how many transitions of one pipeline overlap
/// (the driver must keep it at one).
/// </summary>
internal sealed class OverlapCountingStore(MemoryPipelineStore inner) : IPipelineStateStore
{
    private readonly ConcurrentDictionary<long, int> _inFlight = new();
    private int _maxPerPipeline;
    private int _inFlightAll;
    private int _maxAll;

    public int MaxPerPipeline => Volatile.Read(ref _maxPerPipeline);

    public int MaxAll => Volatile.Read(ref _maxAll);

    public async Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null, CancellationToken cancel = default)
    {
        var mine = _inFlight.AddOrUpdate(pipelineId, 1, (_, n) => n + 1);
        Max(ref _maxPerPipeline, mine);
        Max(ref _maxAll, Interlocked.Increment(ref _inFlightAll));
        try
        {
            await Task.Delay(1, cancel);
            return await inner.TransitionAsync(pipelineId, decide, claim, cancel);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightAll);
            _inFlight.AddOrUpdate(pipelineId, 0, (_, n) => n - 1);
        }
    }

    private static void Max(ref int field, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }
}
