using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Relais.Server.Ssh;

/// <summary>
/// Runs OpenSSH's <c>sshd -D -e -f DATA/ssh/sshd_config</c> as a child of <c>relais serve</c>: waits until it listens,
/// passes its log lines on (prefixed <c>sshd:</c>), starts it again when it dies (after 1 s, doubling up to 30 s while
/// it keeps dying at once) and stops it (SIGTERM) with the server. Its pid is kept in <c>DATA/ssh/sshd.pid</c>, so an
/// sshd left behind by a killed server is stopped at the next start instead of holding the port.
/// </summary>
internal sealed partial class SshDaemon : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly string _sshd;
    private readonly string _configPath;
    private readonly string _pidPath;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Process? _current;
    private Task _supervisor = Task.CompletedTask;

    private SshDaemon(string sshd, string configPath, TextWriter log, TimeProvider time)
    {
        _sshd = sshd;
        _configPath = configPath;
        _pidPath = Path.Combine(Path.GetDirectoryName(configPath)!, "sshd.pid");
        _log = log;
        _time = time;
    }

    /// <summary>Starts sshd with the config at <paramref name="configPath"/> and returns once it listens (or after a timeout, logged; it keeps trying).</summary>
    public static async Task<SshDaemon> StartAsync(string sshd, string configPath, TextWriter log, TimeProvider time)
    {
        var daemon = new SshDaemon(sshd, configPath, TextWriter.Synchronized(log), time);
        await daemon.StopLeftoverAsync(time);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon._supervisor = Task.Run(() => daemon.SuperviseAsync(ready));
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        try
        {
            await ready.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await daemon._log.WriteLineAsync($"relais: sshd did not report listening within {ReadyTimeout.TotalSeconds:0} s; still trying");
        }

        return daemon;
    }

    private async Task SuperviseAsync(TaskCompletionSource ready)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!_stop.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            int code;
            try
            {
                code = await RunOnceAsync(ready);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
            {
                await _log.WriteLineAsync($"relais: sshd could not start: {e.Message}");
                code = -1;
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            delay = _time.GetUtcNow() - started > TimeSpan.FromMinutes(1) ? TimeSpan.FromSeconds(1) : delay;
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"relais: sshd exited ({code}); starting it again in {delay.TotalSeconds:0} s"));
            try
            {
                await Task.Delay(delay, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task<int> RunOnceAsync(TaskCompletionSource ready)
    {
        var start = new ProcessStartInfo(_sshd)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-D", "-e", "-f", _configPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        lock (_gate)
        {
            _current = process;
        }

        await File.WriteAllTextAsync(_pidPath, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("Server listening on ", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }

            await _log.WriteLineAsync("sshd: " + Relais.Protocol.LogText.Safe(line));
        }

        await output;
        await process.WaitForExitAsync();
        lock (_gate)
        {
            _current = null;
        }

        return process.ExitCode;
    }

    /// <summary>Stops an sshd a previous server (killed without stopping it) left running with this config.</summary>
    private async Task StopLeftoverAsync(TimeProvider time)
    {
        if (!File.Exists(_pidPath) || !int.TryParse(File.ReadAllText(_pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        if (File.Exists(cmdline) && File.ReadAllText(cmdline).Replace('\0', ' ').Contains(_configPath, StringComparison.Ordinal))
        {
            _ = Kill(pid, 15);
            for (var i = 0; i < 50 && File.Exists(cmdline); i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        int pid;
        lock (_gate)
        {
            pid = _current is { HasExited: false } p ? p.Id : 0;
        }

        if (pid != 0)
        {
            _ = Kill(pid, 15); // SIGTERM: sshd closes its listeners; sessions in progress finish on their own
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

        File.Delete(_pidPath);
        _stop.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
