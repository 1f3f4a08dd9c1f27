using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Relais.Server.Processes;

/// <summary>
/// A helper program <c>relais serve</c> runs as its child (sshd, the container registry): started, waited for until
/// it says it serves, its log lines passed on (prefixed with its name), started again when it dies (after 1 s,
/// doubling up to 30 s while it keeps dying at once), restarted on demand, and stopped (SIGTERM) with the server.
/// Its pid is kept in a file, so one left behind by a killed server is stopped at the next start instead of holding
/// the port.
/// </summary>
internal sealed partial class SupervisedProcess : IAsyncDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly SupervisedProcessSpec _spec;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Process? _current;
    private TaskCompletionSource _ready = NewReady();
    private CancellationTokenSource? _backoff;
    private bool _restartAsked;
    private Task _supervisor = Task.CompletedTask;

    private SupervisedProcess(SupervisedProcessSpec spec, TextWriter log, TimeProvider time)
    {
        _spec = spec;
        _log = log;
        _time = time;
    }

    /// <summary>The running process's id; 0 between runs.</summary>
    public int Pid
    {
        get
        {
            lock (_gate)
            {
                return _current is { HasExited: false } p ? p.Id : 0;
            }
        }
    }

    /// <summary>Stops a leftover, starts the process and returns once it serves (or after the spec's timeout, logged; it keeps trying).</summary>
    public static async Task<SupervisedProcess> StartAsync(SupervisedProcessSpec spec, TextWriter log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var process = new SupervisedProcess(spec, TextWriter.Synchronized(log), time);
        await process.StopLeftoverAsync();
        var ready = process._ready.Task;
        process._supervisor = Task.Run(process.SuperviseAsync);
        await process.WaitReadyAsync(ready);
        return process;
    }

    /// <summary>Stops the running process (SIGTERM) and starts it again at once (its config may have changed); true once the new one serves.</summary>
    public async Task<bool> RestartAsync()
    {
        Task ready;
        int pid;
        lock (_gate)
        {
            _restartAsked = true;
            _ready = NewReady();
            ready = _ready.Task;
            pid = _current is { HasExited: false } p ? p.Id : 0;
            _backoff?.Cancel();
        }

        if (pid != 0)
        {
            _ = Kill(pid, 15);
        }

        return await WaitReadyAsync(ready);
    }

    private async Task<bool> WaitReadyAsync(Task ready)
    {
        using var timeout = new CancellationTokenSource(_spec.ReadyTimeout);
        try
        {
            await ready.WaitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            await _log.WriteLineAsync($"relais: {_spec.Name} did not report serving within {_spec.ReadyTimeout.TotalSeconds:0} s; still trying");
            return false;
        }
    }

    private async Task SuperviseAsync()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!_stop.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            int code;
            try
            {
                code = await RunOnceAsync();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
            {
                await _log.WriteLineAsync($"relais: {_spec.Name} could not start: {e.Message}");
                code = -1;
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            CancellationTokenSource backoff;
            lock (_gate)
            {
                if (_restartAsked)
                {
                    _restartAsked = false;
                    continue; // asked for: no delay, no backoff
                }

                backoff = _backoff = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            }

            delay = _time.GetUtcNow() - started > TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(1) : delay;
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"relais: {_spec.Name} exited ({code}); starting it again in {delay.TotalSeconds:0} s"));
            try
            {
                await Task.Delay(delay, _time, backoff.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping, or a restart was asked for during the wait.
            }
            finally
            {
                lock (_gate)
                {
                    _backoff = null;
                }

                backoff.Dispose();
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    private async Task<int> RunOnceAsync()
    {
        var start = new ProcessStartInfo(_spec.Program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in _spec.Arguments)
        {
            start.ArgumentList.Add(arg);
        }

        TaskCompletionSource ready;
        using var process = Process.Start(start)!;
        lock (_gate)
        {
            _current = process;
            ready = _ready.Task.IsCompleted ? (_ready = NewReady()) : _ready;
        }

        await File.WriteAllTextAsync(_spec.PidPath, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        process.StandardInput.Close();
        await Task.WhenAll(PassOnAsync(process.StandardError, ready), PassOnAsync(process.StandardOutput, ready));
        await process.WaitForExitAsync();
        lock (_gate)
        {
            _current = null;
        }

        return process.ExitCode;
    }

    private async Task PassOnAsync(StreamReader output, TaskCompletionSource ready)
    {
        string? line;
        while ((line = await output.ReadLineAsync()) is not null)
        {
            if (_spec.IsReady(line))
            {
                ready.TrySetResult();
            }

            if (_spec.Pass(line) is { } passed)
            {
                await _log.WriteLineAsync(_spec.Name + ": " + Relais.Protocol.LogText.Safe(passed));
            }
        }
    }

    /// <summary>Stops a process a previous server (killed without stopping it) left running with this spec's marker.</summary>
    private async Task StopLeftoverAsync()
    {
        if (!File.Exists(_spec.PidPath) || !int.TryParse(File.ReadAllText(_spec.PidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && File.ReadAllText(cmdline).Replace('\0', ' ').Contains(_spec.Marker, StringComparison.Ordinal))
        {
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"relais: stopping the {_spec.Name} a previous server left running (pid {pid})"));
            _ = Kill(pid, 15);
            for (var i = 0; i < 50 && File.Exists(cmdline); i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        var pid = Pid;
        if (pid != 0)
        {
            _ = Kill(pid, 15); // SIGTERM: the program closes its listeners; what is in progress finishes on its own
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _supervisor.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _current?.Kill();
            }
        }

        File.Delete(_spec.PidPath);
        _stop.Dispose();
    }

    private static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
