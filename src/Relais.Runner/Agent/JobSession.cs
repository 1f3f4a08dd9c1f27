using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

namespace Relais.Runner.Agent;

/// <summary>What became of a job the agent received.</summary>
/// <param name="Outcome">The job's outcome, or null when it did not run (the server took it back).</param>
/// <param name="FinalState">The state reported in the final update, or null when none was accepted.</param>
/// <param name="TraceBytes">The trace's size.</param>
/// <param name="Patches">How many trace patches were sent.</param>
public readonly record struct JobSessionResult(JobOutcome? Outcome, string? FinalState, long TraceBytes, int Patches);

/// <summary>
/// Runs one job received from the server, talking the runner API around <see cref="JobRunner"/>: accept it
/// (<c>PUT state=running</c>), ship the trace while it runs, keep it alive when the log is quiet, turn
/// <c>Job-Status</c> answers into the job's two tokens (<c>canceling</c> → graceful cancel; <c>canceled</c>, 403, 404 →
/// hard abort, after which nothing more is sent), then flush the trace and send the final state with the checksum and
/// size, repeating it on 202 and resending the trace on 412. While the server is unreachable (a restart), the trace
/// flush and the final state are retried with backoff until <see cref="AgentTimings.ReportTimeout"/>; the final
/// state is only sent once the whole trace is in.
/// </summary>
internal sealed class JobSession : IDisposable
{
    private readonly RunnerApiClient _client;
    private readonly AgentTimings _timings;
    private readonly JobResponse _job;
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _abort;
    private long _lastContact;
    private TimeSpan _keepAlive;
    private volatile bool _serverAborted;

    public JobSession(RunnerApiClient client, AgentTimings timings, JobResponse job, CancellationToken agentAbort)
    {
        _client = client;
        _timings = timings;
        _job = job;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(agentAbort);
        _keepAlive = timings.KeepAliveInterval;
        AgentAbort = agentAbort;
    }

    private CancellationToken AgentAbort { get; }

    private TimeProvider Time => _client.Backoff.Time;

    public async Task<JobSessionResult> RunAsync(JobRunner runner, JobRunOptions options)
    {
        var (cancel, abort) = (_cancel, _abort);
        using var shipping = new CancellationTokenSource();
        var accepted = await _client.UpdateJobAsync(_job.Id, new UpdateJobRequest { Token = _job.Token, State = JobStates.Running }, shipping.Token);
        if (accepted.Control == JobControl.Abort || accepted.Status is 409 or 0 || !accepted.Accepted)
        {
            return new(null, null, 0, 0); // taken back, taken by another manager, or unreachable: do not run it
        }

        Touch();
        var trace = new BatchingJobTrace(_timings.TraceBatchBytes, _timings.TraceInterval, Time);
        var shipper = new TraceShipper(_client, _job.Id, _job.Token, OnResponse);
        var shipTask = Task.Run(() => shipper.RunAsync(trace, shipping.Token), CancellationToken.None);
        using var stopKeepAlive = new CancellationTokenSource();
        var keepAliveTask = KeepAliveAsync(stopKeepAlive.Token);

        var outcome = await runner.RunAsync(_job, trace, options, cancel.Token, abort.Token);
        trace.Complete();
        await stopKeepAlive.CancelAsync();
        shipping.CancelAfter(_timings.ReportTimeout);
        await keepAliveTask;
        try
        {
            await shipTask;
            if (_serverAborted)
            {
                return new(outcome, null, shipper.Length, shipper.Patches);
            }

            if (AgentAbort.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                outcome = outcome with { Result = JobResult.Failed, FailureReason = FailureReasons.RunnerInterrupted, ExitCode = null };
            }

            var state = await ReportAsync(outcome, shipper, shipping.Token);
            return new(outcome, state, shipper.Length, shipper.Patches);
        }
        catch (OperationCanceledException)
        {
            return new(outcome, null, shipper.Length, shipper.Patches); // the server did not take the report in time
        }
    }

    /// <summary>Flushes the trace and sends the final state until the server answers 200 (or stops the job).</summary>
    private async Task<string?> ReportAsync(JobOutcome outcome, TraceShipper shipper, CancellationToken cancellationToken)
    {
        var resends = 0;
        for (var attempt = 0; ; attempt++)
        {
            var flushed = await shipper.FlushAsync(cancellationToken);
            if (shipper.Stopped)
            {
                return null;
            }

            if (!flushed)
            {
                // The server did not take the rest of the trace (it is down or restarting): the final state waits
                // for it, or the job would end with a truncated log.
                await _client.Backoff.WaitAsync(Math.Min(attempt, 10), cancellationToken);
                continue;
            }

            var update = outcome.ToUpdateRequest(_job.Token, shipper.Checksum, shipper.Length, _job.Features.FailureReasons);
            var answer = await _client.UpdateJobAsync(_job.Id, update, cancellationToken);
            switch (answer.Status)
            {
                case 200:
                    return update.State;
                case 202: // accepted, but the server is still persisting the trace: ask again after its interval
                    await Task.Delay(Min(answer.UpdateInterval ?? _timings.TraceInterval, _timings.MaxUpdateRetryInterval), Time, cancellationToken);
                    break;
                case 412 when resends++ < 3: // the server's copy of the trace is wrong: resend all of it
                    shipper.Restart();
                    break;
                case 403 or 404 or 409 or 410:
                    return null;
                default:
                    await _client.Backoff.WaitAsync(Math.Min(attempt, 10), cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Sends <c>PUT state=running</c> when nothing reached the server for a while, so a quiet job still learns of a cancel.</summary>
    private async Task KeepAliveAsync(CancellationToken stop)
    {
        try
        {
            while (!_serverAborted)
            {
                await Task.Delay(_keepAlive, Time, stop);
                if (Time.GetElapsedTime(Interlocked.Read(ref _lastContact)) >= _keepAlive)
                {
                    OnResponse(await _client.UpdateJobAsync(_job.Id, new UpdateJobRequest { Token = _job.Token, State = JobStates.Running }, stop));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void OnResponse(JobUpdateOutcome outcome)
    {
        if (outcome.Status != 0)
        {
            Touch();
        }

        if (outcome.UpdateInterval is { } interval)
        {
            _keepAlive = Min(interval, _timings.MaxKeepAliveInterval);
        }

        switch (outcome.Control)
        {
            case JobControl.Cancel:
                _cancel.Cancel();
                break;
            case JobControl.Abort:
                _serverAborted = true;
                _abort.Cancel();
                break;
        }
    }

    public void Dispose()
    {
        _cancel.Dispose();
        _abort.Dispose();
    }

    private void Touch() => Interlocked.Exchange(ref _lastContact, Time.GetTimestamp());

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
