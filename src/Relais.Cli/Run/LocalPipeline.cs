using System.Threading.Channels;
using Relais.Driver;
using Relais.Engine;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Cli.Run;

/// <summary>
/// Runs one pipeline on this machine through the same <see cref="PipelineDriver"/> the coordinator uses, on a
/// <see cref="MemoryPipelineStore"/>: the engine decides which jobs run when, the driver keeps the state, wakes
/// delayed jobs and hands out resource groups; this host starts the jobs it enqueues (at most <c>concurrency</c> at
/// once), reports how they end, plays the manual jobs asked for and prints status changes. The driver's hooks only
/// post to this loop's channel, and the loop alone touches the slots and the ready queue.
/// </summary>
internal sealed class LocalPipeline(PipelinePlan plan, LocalJobRunner runner, RunOutput output, int concurrency, IReadOnlySet<string> play, TimeProvider time)
    : PipelineHooks
{
    private const long Id = 1;
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly MemoryPipelineStore _store = new();
    private readonly Queue<(string Job, int Attempt)> _ready = new();
    private readonly Dictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly HashSet<int> _freeSlots = [.. Enumerable.Range(1, Math.Max(1, concurrency))];

    private PipelineState State => _store.Get(Id)!;

    public async Task<PipelineState> RunAsync(CancellationToken interrupt)
    {
        await using var driver = new PipelineDriver(_store, _store, this, time, (_, e) => _events.Writer.TryWrite(new TimerFailed(e)));
        using var registration = interrupt.Register(() => _events.Writer.TryWrite(new PipelineCancelRequested(time.GetUtcNow())));
        await driver.CreateAsync(Id, plan, time.GetUtcNow());
        await StartReadyAsync(driver);
        while (!Done())
        {
            await ReceiveAsync(driver, await _events.Reader.ReadAsync(CancellationToken.None));
            while (_events.Reader.TryRead(out var more))
            {
                await ReceiveAsync(driver, more);
            }

            await StartReadyAsync(driver);
        }

        return State;
    }

    public override void JobsEnqueued(long pipelineId, EngineStep step)
    {
        foreach (var enqueue in step.EffectsOf<EnqueueJob>())
        {
            _events.Writer.TryWrite(enqueue);
        }
    }

    public override void JobCanceled(long pipelineId, CancelJob cancel) => _events.Writer.TryWrite(cancel);

    public override void JobStatusChanged(long pipelineId, JobStatusChanged change)
    {
        if (change.To == CiStatus.Manual && (play.Contains(change.Job) || play.Contains(plan.Job(change.Job)?.BaseName ?? "")))
        {
            _events.Writer.TryWrite(new ManualJobPlayed(time.GetUtcNow(), change.Job));
            return;
        }

        output.Status(change.Job, change.To);
    }

    // A change made by a timer or a grant outside this loop: look again whether the run is over.
    public override void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change) => _events.Writer.TryWrite(Wake.Up);

    private async Task ReceiveAsync(PipelineDriver driver, object message)
    {
        switch (message)
        {
            case EnqueueJob enqueue:
                _ready.Enqueue((enqueue.Job, enqueue.Attempt));
                break;
            case CancelJob cancel when _running.TryGetValue(cancel.Job, out var source):
                await source.CancelAsync();
                break;
            case JobDone done:
                if (_running.Remove(done.Job, out var finished))
                {
                    finished.Dispose();
                }

                _freeSlots.Add(done.Slot);
                await driver.ApplyAsync(Id, done.Event);
                break;
            case PipelineEvent e:
                await driver.ApplyAsync(Id, e);
                break;
            case TimerFailed failed:
                throw new InvalidOperationException("relais run: a delayed job's timer failed", failed.Error);
        }
    }

    /// <summary>
    /// Done when nothing runs or waits to run and no delayed job is due later. A job the state shows active but this
    /// loop has not heard of yet (a timer or a grant just enqueued it; its hook's message is on the way) keeps it going.
    /// </summary>
    private bool Done() => _running.Count == 0 && _ready.Count == 0 && _events.Reader.Count == 0
        && State is var state
        && (state.Status.IsCompleted() || (state.NextWakeUpAt is null && !state.CurrentJobs.Any(j => j.Status.IsActive())));

    private async Task StartReadyAsync(PipelineDriver driver)
    {
        while (_freeSlots.Count > 0 && _ready.TryDequeue(out var job))
        {
            var manual = State.Job(job.Job)?.Status == CiStatus.Manual || play.Contains(job.Job);
            if (await driver.ApplyAsync(Id, new JobStarted(time.GetUtcNow(), job.Job, job.Attempt)) is null)
            {
                continue; // canceled (or moved on) before it could start
            }

            var slot = _freeSlots.Min();
            _freeSlots.Remove(slot);
            var cancel = new CancellationTokenSource();
            _running[job.Job] = cancel;
            _ = RunJobAsync(job.Job, job.Attempt, slot, manual, cancel);
        }
    }

    private async Task RunJobAsync(string job, int attempt, int slot, bool manual, CancellationTokenSource cancel)
    {
        JobOutcome outcome;
        try
        {
            outcome = await Task.Run(() => runner.RunAsync(job, slot, manual, output.TraceFor(job), cancel.Token));
        }
#pragma warning disable CA1031 // a crash in one job must become that job's failure, not the whole run's
        catch (Exception e)
#pragma warning restore CA1031
        {
            output.Error(job, e.Message);
            outcome = new JobOutcome(JobResult.Failed, "runner_system_failure", null, TimeSpan.Zero);
        }

        output.Finished(job, outcome);
        PipelineEvent result = outcome.Result == JobResult.Canceled
            ? new JobCanceled(time.GetUtcNow(), job, attempt)
            : new JobFinished(time.GetUtcNow(), job, attempt, outcome.Succeeded, outcome.ExitCode, outcome.FailureReason);
        _events.Writer.TryWrite(new JobDone(job, slot, result));
    }

    /// <summary>A job's runner work is over: free its slot, then tell the driver how it ended.</summary>
    private sealed record JobDone(string Job, int Slot, PipelineEvent Event);

    /// <summary>The driver could not apply a timer's event: the run cannot go on as the engine wants.</summary>
    private sealed record TimerFailed(Exception Error);

    /// <summary>Nothing to do but look whether the run is over.</summary>
    private sealed record Wake
    {
        public static readonly Wake Up = new();
    }
}
