using System.Threading.Channels;
using Relais.Engine;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Runner.Jobs;

namespace Relais.Cli.Run;

/// <summary>
/// Drives one pipeline on this machine with the same engine the coordinator uses: the engine decides
/// which jobs run when; this loop starts them (at most <c>concurrency</c> at once), feeds their results
/// back as events, plays the manual jobs asked for, wakes delayed jobs, and hands out resource groups.
/// Events are applied one at a time, on this loop only.
/// </summary>
internal sealed class LocalPipeline(PipelinePlan plan, LocalJobRunner runner, RunOutput output, int concurrency, IReadOnlySet<string> play, TimeProvider time)
{
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly Queue<(string Job, int Attempt)> _ready = new();
    private readonly Dictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Job, int Attempt)?> _resourceHolders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(string Job, int Attempt)>> _resourceWaiting = new(StringComparer.Ordinal);
    private readonly HashSet<int> _freeSlots = [.. Enumerable.Range(1, Math.Max(1, concurrency))];
    private PipelineState _state = null!;

    public async Task<PipelineState> RunAsync(CancellationToken interrupt)
    {
        using var registration = interrupt.Register(() => _events.Writer.TryWrite(new PipelineCancelRequested(time.GetUtcNow())));
        Apply(PipelineEngine.Create(plan, 1, time.GetUtcNow()));
        while (!Done())
        {
            Receive(await _events.Reader.ReadAsync(CancellationToken.None));
            while (_events.Reader.TryRead(out var more))
            {
                Receive(more);
            }
        }

        return _state;
    }

    private void Receive(object message)
    {
        if (message is JobDone done)
        {
            if (_running.Remove(done.Job, out var source))
            {
                source.Dispose();
            }

            _freeSlots.Add(done.Slot);
            message = done.Event;
        }

        Apply(PipelineEngine.Apply(_state, (PipelineEvent)message));
    }

    /// <summary>Done when nothing runs or waits to run and no delayed job is due later.</summary>
    private bool Done() => _running.Count == 0 && _ready.Count == 0 && _events.Reader.Count == 0
        && (_state.Status.IsCompleted() || _state.NextWakeUpAt is null);

    private void Apply(EngineStep step)
    {
        _state = step.State;
        foreach (var effect in step.Effects)
        {
            Handle(effect);
        }

        StartReady();
    }

    private void Handle(EngineEffect effect)
    {
        switch (effect)
        {
            case EnqueueJob enqueue:
                _ready.Enqueue((enqueue.Job, enqueue.Attempt));
                break;
            case CancelJob cancel when _running.TryGetValue(cancel.Job, out var source):
                source.Cancel();
                break;
            case ScheduleWakeUp wake:
                _ = WakeAsync(wake.At);
                break;
            case JobStatusChanged { To: CiStatus.Manual } manual when play.Contains(manual.Job) || play.Contains(plan.Job(manual.Job)?.BaseName ?? ""):
                _events.Writer.TryWrite(new ManualJobPlayed(time.GetUtcNow(), manual.Job));
                break;
            case JobStatusChanged changed:
                output.Status(changed.Job, changed.To);
                break;
            case RequestResource request:
                Request(request.Group, (request.Job, request.Attempt));
                break;
            case ReleaseResource release:
                Release(release.Group);
                break;
        }
    }

    private void Request(string group, (string Job, int Attempt) job)
    {
        if (_resourceHolders.GetValueOrDefault(group) is null)
        {
            _resourceHolders[group] = job;
            _events.Writer.TryWrite(new ResourceGranted(time.GetUtcNow(), job.Job, job.Attempt));
            return;
        }

        if (!_resourceWaiting.TryGetValue(group, out var queue))
        {
            _resourceWaiting[group] = queue = new Queue<(string, int)>();
        }

        queue.Enqueue(job);
    }

    private void Release(string group)
    {
        _resourceHolders[group] = null;
        if (_resourceWaiting.TryGetValue(group, out var queue) && queue.TryDequeue(out var next))
        {
            Request(group, next);
        }
    }

    private void StartReady()
    {
        while (_freeSlots.Count > 0 && _ready.TryDequeue(out var job))
        {
            var slot = _freeSlots.Min();
            _freeSlots.Remove(slot);
            var cancel = new CancellationTokenSource();
            _running[job.Job] = cancel;
            var manual = _state.Job(job.Job)?.Status == CiStatus.Manual || play.Contains(job.Job);
            _state = PipelineEngine.Apply(_state, new JobStarted(time.GetUtcNow(), job.Job, job.Attempt)).State;
            output.Status(job.Job, CiStatus.Running);
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

    /// <summary>A job's runner work is over: free its slot, then tell the engine how it ended.</summary>
    private sealed record JobDone(string Job, int Slot, PipelineEvent Event);

    private async Task WakeAsync(DateTimeOffset at)
    {
        var delay = at - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay);
        }

        _events.Writer.TryWrite(new TimePassed(time.GetUtcNow()));
    }
}
