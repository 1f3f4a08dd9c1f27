using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Jobs;

namespace Relais.Runner.Agent;

/// <summary>
/// The remote runner: for each runner entry, <c>request_concurrency</c> pollers ask the server for jobs
/// (<c>POST /jobs/request</c>, long polled) while a slot is free — one of the global <c>concurrent</c> slots and one of the
/// entry's <c>limit</c> — and run each job in a <see cref="JobSession"/>. Stopping is two-step, like the job's tokens:
/// <c>stop</c> ends polling and lets running jobs finish (up to <see cref="AgentConfig.ShutdownTimeout"/>); <c>abort</c>
/// kills them, and they report <c>runner_interrupted</c>.
/// </summary>
public sealed class RunnerAgent : IDisposable
{
    private readonly AgentConfig _config;
    private readonly AgentTimings _timings;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _global;
    private readonly List<EntryState> _entries;
    private readonly CancellationTokenSource _abortAll = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];

    /// <summary>Creates the agent; nothing is contacted until <see cref="VerifyAsync"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="config">The runner entries and global limits.</param>
    /// <param name="timings">Intervals (tests shorten them).</param>
    /// <param name="backoff">The retry policy for transient failures, with the clock and the jitter.</param>
    /// <param name="log">Where the agent writes what it does (one line per event).</param>
    /// <param name="systemId">This runner manager's id; by default derived from the machine and working directory.</param>
    public RunnerAgent(AgentConfig config, AgentTimings? timings = null, RetryBackoff? backoff = null, TextWriter? log = null, string? systemId = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _timings = timings ?? new AgentTimings();
        _log = TextWriter.Synchronized(log ?? TextWriter.Null);
        _global = new SemaphoreSlim(Math.Max(1, config.Concurrent));
        SystemId = systemId ?? AgentInfo.SystemId(Directory.GetCurrentDirectory());
        _entries = config.Runners.Select(e => new EntryState(e, backoff ?? new RetryBackoff(), SystemId, Math.Max(1, config.Concurrent))).ToList();
    }

    /// <summary>This runner manager's id (<c>system_id</c>).</summary>
    public string SystemId { get; }

    /// <summary>Called after each job with what became of it (tests, metrics).</summary>
    public Action<JobResponse, JobSessionResult>? JobFinished { get; init; }

    /// <summary>Checks every entry's token with <c>POST /runners/verify</c>; returns the problems, empty when all are fine.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var entry in _entries)
        {
            var outcome = await entry.Client.VerifyAsync(entry.Entry.Token, SystemId, cancellationToken);
            if (outcome.Succeeded)
            {
                _log.WriteLine($"runner {entry.Entry.Name} ({entry.Settings.ShortToken}) verified with {entry.Entry.Url} as runner {outcome.RunnerId}");
            }
            else
            {
                errors.Add(outcome.Error ?? "verify failed");
            }
        }

        return errors;
    }

    /// <summary>Polls and runs jobs until <paramref name="stop"/>, then waits for running jobs (or aborts them on <paramref name="abort"/> or the shutdown timeout).</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        using var link = abort.Register(_abortAll.Cancel);
        var pollers = _entries.SelectMany(e => Enumerable.Range(0, Math.Max(1, e.Entry.RequestConcurrency)).Select(_ => PollAsync(e, stop))).ToList();
        await Task.WhenAll(pollers);
        if (_config.ShutdownTimeout > TimeSpan.Zero)
        {
            _abortAll.CancelAfter(_config.ShutdownTimeout);
        }

        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        if (running.Length > 0)
        {
            _log.WriteLine($"stopping: waiting for {running.Length} running job(s) to finish");
        }

        await Task.WhenAll(running);
    }

    private async Task PollAsync(EntryState entry, CancellationToken stop)
    {
        string? lastUpdate = null;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!await TryAcquireAsync(entry, stop))
            {
                break;
            }

            var started = _timings.CheckInterval > TimeSpan.Zero ? entry.Backoff.Time.GetTimestamp() : 0;
            JobRequestOutcome outcome;
            try
            {
                outcome = await entry.Client.RequestJobAsync(new JobRequest { Token = entry.Entry.Token, SystemId = SystemId, LastUpdate = lastUpdate }, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Release(entry);
                break;
            }

            if (outcome.Job is { } job)
            {
                failures = 0;
                Start(entry, job);
                continue;
            }

            Release(entry);
            try
            {
                if (outcome.Status == 204)
                {
                    failures = 0;
                    var changed = outcome.LastUpdate != lastUpdate;
                    lastUpdate = outcome.LastUpdate;
                    var held = entry.Backoff.Time.GetElapsedTime(started);
                    if (!outcome.LongPolling && !changed && held < _timings.CheckInterval)
                    {
                        await Task.Delay(_timings.CheckInterval - held, entry.Backoff.Time, stop); // the server does not hold requests
                    }
                }
                else
                {
                    var why = outcome.Status == 403 ? $"the runner token was rejected by {entry.Entry.Url}" : outcome.Error;
                    _log.WriteLine($"runner {LogText.Safe(entry.Entry.Name)}: job request failed ({LogText.Safe(why)}); retrying");
                    await entry.Backoff.WaitAsync(failures++, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<bool> TryAcquireAsync(EntryState entry, CancellationToken stop)
    {
        try
        {
            await _global.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            await entry.Limit.WaitAsync(stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            _global.Release();
            return false;
        }
    }

    private void Release(EntryState entry)
    {
        entry.Limit.Release();
        _global.Release();
    }

    private void Start(EntryState entry, JobResponse job)
    {
        var task = Task.Run(() => RunJobAsync(entry, job));
        lock (_lock)
        {
            _running.Add(task);
        }

        task.ContinueWith(t => { lock (_lock) { _running.Remove(t); } }, TaskScheduler.Default);
    }

    private async Task RunJobAsync(EntryState entry, JobResponse job)
    {
        var slot = entry.TakeSlot();
        try
        {
            _log.WriteLine($"job {job.Id} ({LogText.Safe(job.JobInfo.Name)}) received by runner {LogText.Safe(entry.Entry.Name)}, slot {slot}");
            using var session = new JobSession(entry.Client, _timings, RunnerHooks.Apply(job, entry.Entry), _abortAll.Token);
            var result = await session.RunAsync(entry.Runner, new JobRunOptions { ConcurrentId = slot });
            _log.WriteLine(result.Outcome is null
                ? $"job {job.Id}: the server took it back; not run"
                : $"job {job.Id} finished: {result.FinalState ?? "not reported"} ({result.Outcome.Value.Result}, {result.TraceBytes} trace bytes in {result.Patches} patches)");
            JobFinished?.Invoke(job, result);
        }
#pragma warning disable CA1031 // one broken job must not take the agent down
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.WriteLine($"job {job.Id}: {e.GetType().Name}: {LogText.Safe(e.Message)}");
        }
        finally
        {
            entry.ReturnSlot(slot);
            Release(entry);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _abortAll.Dispose();
        _global.Dispose();
        foreach (var entry in _entries)
        {
            entry.Dispose();
        }
    }

    /// <summary>One runner entry's client, job runner, limit and slot numbers.</summary>
    private sealed class EntryState : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly SortedSet<int> _free = [];
        private int _next;

        public EntryState(RunnerEntry entry, RetryBackoff backoff, string systemId, int concurrent)
        {
            Entry = entry;
            Backoff = backoff;
            Client = new RunnerApiClient(entry.Url, backoff) { Info = AgentInfo.Details(entry.Executor, entry.DeclaresUntrustedJobs) };
            Settings = new RunnerSettings { Name = entry.Name, Token = entry.Token, SystemId = systemId, Variables = entry.Environment, OutputLimit = entry.OutputLimit };
            var executor = ExecutorCatalog.Create(entry.Executor, new ExecutorSetup(entry.BuildsDir) { Docker = entry.Docker, RunnerToken = entry.Token, AllowUntrusted = entry.AllowUntrusted })
                ?? throw new ArgumentException(ExecutorCatalog.Unknown(entry.Executor));
            Runner = new JobRunner(executor, new DirectoryCacheStore(Path.GetFullPath(entry.CacheDir)), new HttpArtifactStore(Client), Settings, backoff.Time);
            Limit = new SemaphoreSlim(entry.Limit > 0 ? entry.Limit : concurrent);
        }

        public RunnerEntry Entry { get; }

        public RetryBackoff Backoff { get; }

        public RunnerApiClient Client { get; }

        public RunnerSettings Settings { get; }

        public JobRunner Runner { get; }

        public SemaphoreSlim Limit { get; }

        public int TakeSlot()
        {
            lock (_lock)
            {
                if (_free.Count > 0)
                {
                    var slot = _free.Min;
                    _free.Remove(slot);
                    return slot;
                }

                return _next++;
            }
        }

        public void ReturnSlot(int slot)
        {
            lock (_lock)
            {
                _free.Add(slot);
            }
        }

        public void Dispose()
        {
            Client.Dispose();
            Limit.Dispose();
        }
    }
}
