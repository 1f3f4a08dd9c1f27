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
/// once), reports how they end, plays the manual jobs asked for and prints status changes. A bridge job
/// (<c>trigger:</c>) takes no slot: it runs its child pipeline (<see cref="LocalChildPipeline"/>) with a loop of its
/// own, whose jobs are named <c>bridge ▸ job</c> in the run.Output. The driver's hooks only post to this loop's channel,
/// and the loop alone touches the slots and the ready queue.
/// </summary>
/// <param name="prefix">What the output puts before this pipeline's job names (empty for the pipeline run asked for).</param>
/// <param name="depth">How many pipelines are above this one.</param>
/// <param name="firstSlot">The first of this pipeline's <see cref="LocalRun.Concurrency"/> job slots.</param>
internal sealed class LocalPipeline(LocalJobRunner runner, LocalRun run, string prefix = "", int depth = 0, int firstSlot = 1)
    : PipelineHooks
{
    private const long Id = 1;
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly MemoryPipelineStore _store = new();
    private readonly Queue<(string Job, int Attempt)> _ready = new();
    private readonly Dictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly HashSet<int> _freeSlots = [.. Enumerable.Range(firstSlot, run.Concurrency)];
    private CancellationToken _interrupt;
    private int _detachedChildren;

    private PipelineState State => _store.Get(Id)!;

    public async Task<PipelineState> RunAsync(CancellationToken interrupt)
    {
        _interrupt = interrupt;
        await using var driver = new PipelineDriver(_store, _store, this, run.Time, (_, e) => _events.Writer.TryWrite(new TimerFailed(e)));
        using var registration = interrupt.Register(() => _events.Writer.TryWrite(new PipelineCancelRequested(run.Time.GetUtcNow())));
        await driver.CreateAsync(Id, runner.Plan, run.Time.GetUtcNow());
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
        if (change.To == CiStatus.Manual && (run.Play.Contains(change.Job) || run.Play.Contains(runner.Plan.Job(change.Job)?.BaseName ?? "")))
        {
            _events.Writer.TryWrite(new ManualJobPlayed(run.Time.GetUtcNow(), change.Job));
            return;
        }

        run.Output.Status(prefix + change.Job, change.To);
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

                if (done.Slot > 0)
                {
                    _freeSlots.Add(done.Slot);
                }

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
    /// loop has not heard of yet (a timer or a grant just enqueued it; its hook's message is on the way) keeps it going,
    /// and so does a child pipeline still running after its bridge succeeded (no <c>strategy: depend</c>).
    /// </summary>
    private bool Done() => _running.Count == 0 && _ready.Count == 0 && _events.Reader.Count == 0 && Volatile.Read(ref _detachedChildren) == 0
        && State is var state
        && (state.Status.IsCompleted() || (state.NextWakeUpAt is null && !state.CurrentJobs.Any(j => j.Status.IsActive())));

    private async Task StartReadyAsync(PipelineDriver driver)
    {
        while (_ready.TryPeek(out var next) && (_freeSlots.Count > 0 || runner.Plan.Job(next.Job)?.IsTrigger == true))
        {
            var job = _ready.Dequeue();
            if (runner.Plan.Job(job.Job)?.IsTrigger == true)
            {
                if (await driver.ApplyAsync(Id, new JobStarted(run.Time.GetUtcNow(), job.Job, job.Attempt)) is not null)
                {
                    var bridge = new CancellationTokenSource();
                    _running[job.Job] = bridge;
                    _ = RunBridgeAsync(job.Job, job.Attempt, bridge);
                }

                continue;
            }

            var manual = State.Job(job.Job)?.Status == CiStatus.Manual || run.Play.Contains(job.Job);
            if (await driver.ApplyAsync(Id, new JobStarted(run.Time.GetUtcNow(), job.Job, job.Attempt)) is null)
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
            outcome = await Task.Run(() => runner.RunAsync(job, slot, manual, run.Output.TraceFor(prefix + job, runner.Plan.Job(job)?.Coverage), cancel.Token));
        }
#pragma warning disable CA1031 // a crash in one job must become that job's failure, not the whole run's
        catch (Exception e)
#pragma warning restore CA1031
        {
            run.Output.Error(prefix + job, e.Message);
            outcome = new JobOutcome(JobResult.Failed, "runner_system_failure", null, TimeSpan.Zero);
        }

        run.Output.Finished(prefix + job, outcome);
        PipelineEvent result = outcome.Result == JobResult.Canceled
            ? new JobCanceled(run.Time.GetUtcNow(), job, attempt)
            : new JobFinished(run.Time.GetUtcNow(), job, attempt, outcome.Succeeded, outcome.ExitCode, outcome.FailureReason);
        _events.Writer.TryWrite(new JobDone(job, slot, result));
    }

    /// <summary>
    /// Runs a bridge job: creates its child pipeline and runs it. With <c>strategy: depend</c> the bridge ends as the
    /// child does; without it the bridge succeeds once the child exists, and the child runs on (this pipeline waits
    /// for it before the run ends). A bridge whose child cannot be created here fails.
    /// </summary>
    private async Task RunBridgeAsync(string job, int attempt, CancellationTokenSource cancel)
    {
        var name = prefix + job;
        PipelineEvent result;
        try
        {
            var created = await LocalChildPipeline.CreateAsync(runner, run, job, prefix, depth, line => run.Output.Error(name, line), cancel.Token);
            if (created.Pipeline is not { } child)
            {
                result = JobFinished.Failure(run.Time.GetUtcNow(), job, attempt, created.FailureReason!);
            }
            else if (!created.Depend)
            {
                Interlocked.Increment(ref _detachedChildren);
                _events.Writer.TryWrite(new JobDone(job, 0, JobFinished.Success(run.Time.GetUtcNow(), job, attempt)));
                try
                {
                    run.Output.Child(name, await child.RunAsync(_interrupt));
                }
                finally
                {
                    Interlocked.Decrement(ref _detachedChildren);
                    _events.Writer.TryWrite(Wake.Up);
                }

                return;
            }
            else
            {
                var state = await child.RunAsync(cancel.Token);
                run.Output.Child(name, state);
                result = state.Status switch
                {
                    CiStatus.Success or CiStatus.Skipped => JobFinished.Success(run.Time.GetUtcNow(), job, attempt),
                    CiStatus.Canceled => new JobCanceled(run.Time.GetUtcNow(), job, attempt),
                    _ => JobFinished.Failure(run.Time.GetUtcNow(), job, attempt, FailureReasons.UnknownFailure),
                };
            }
        }
#pragma warning disable CA1031 // a crash in a child pipeline must become its bridge's failure, not the whole run's
        catch (Exception e)
#pragma warning restore CA1031
        {
            run.Output.Error(name, e.Message);
            result = JobFinished.Failure(run.Time.GetUtcNow(), job, attempt, FailureReasons.DownstreamPipelineCreationFailed);
        }

        _events.Writer.TryWrite(new JobDone(job, 0, result));
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
