using System.Diagnostics;
using System.Runtime.InteropServices;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors.Shell;

/// <summary>
/// Runs one shell script as a session leader (through <c>setsid</c>) and streams its output. On cancellation the whole
/// tree gets SIGTERM, then SIGKILL after the grace period; when the shell ends, whatever it left running in its
/// process group is killed too, so nothing of a job outlives its step.
/// </summary>
internal static class ScriptProcess
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ScriptResult> RunAsync(
        ShellCommand shell, string scriptPath, string workingDirectory, IReadOnlyList<KeyValuePair<string, string>> environment,
        IJobLog log, TimeSpan killGrace, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(shell, scriptPath, workingDirectory, environment) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return ScriptResult.Failure($"could not start {shell.Program}: {e.Message}");
        }

        process.StandardInput.Close();
        var pid = process.Id;
        using var stopPumping = new CancellationTokenSource();
        var readers = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, log, stopPumping.Token),
            PumpAsync(process.StandardError.BaseStream, log, stopPumping.Token));

        var canceled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            canceled = true;
            await StopAsync(process, pid, shell.OwnGroup, killGrace);
        }

        // Leftovers (background jobs) die with the step; then give the pipes a moment to drain.
        if (shell.OwnGroup)
        {
            ProcessTree.SignalGroup(pid, ProcessTree.SigKill);
        }

        // A detached process may still hold the pipes: stop waiting (and writing to the log) after a moment.
        await Task.WhenAny(readers, Task.Delay(DrainTimeout, CancellationToken.None));
        await stopPumping.CancelAsync();
        return canceled ? ScriptResult.Canceled() : ScriptResult.Exit(process.ExitCode);
    }

    /// <summary>SIGTERM to the group and every descendant; after the grace period (or the shell's exit) SIGKILL to them all.</summary>
    private static async Task StopAsync(Process process, int pid, bool group, TimeSpan grace)
    {
        var known = ProcessTree.Descendants(pid);
        ProcessTree.Signal(pid, ProcessTree.SigTerm, group, known);
        using var graceCts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(graceCts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        ProcessTree.Signal(pid, ProcessTree.SigKill, group, known);
        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static async Task PumpAsync(Stream stream, IJobLog log, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0 && !stop.IsCancellationRequested)
            {
                log.Write(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopped: the step is over while something still held the pipe.
        }
    }

    private static ProcessStartInfo StartInfo(
        ShellCommand shell, string scriptPath, string workingDirectory, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var info = new ProcessStartInfo(shell.Program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in shell.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(scriptPath);
        foreach (var (key, value) in environment)
        {
            if (key.Length > 0 && !key.Contains('=', StringComparison.Ordinal) && !key.Contains('\0', StringComparison.Ordinal))
            {
                info.Environment[key] = value.Replace("\0", "", StringComparison.Ordinal);
            }
        }

        return info;
    }
}

/// <summary>How to start a shell: the program and its leading arguments (the script path follows).</summary>
/// <param name="Program">The program to start (<c>setsid</c>, or the shell itself).</param>
/// <param name="Arguments">Arguments before the script path.</param>
/// <param name="ShellName">The shell's name: <c>bash</c> or <c>sh</c>.</param>
/// <param name="OwnGroup">Whether the shell leads its own process group (started through <c>setsid</c>).</param>
internal sealed record ShellCommand(string Program, IReadOnlyList<string> Arguments, string ShellName, bool OwnGroup)
{
    /// <summary>Finds bash (else sh) and setsid on <c>PATH</c>.</summary>
    public static ShellCommand Detect(string? shell, bool login)
    {
        var shellPath = shell is null
            ? Which("bash") ?? Which("sh") ?? throw new InvalidOperationException("neither bash nor sh is on PATH")
            : Path.IsPathRooted(shell) ? shell : Which(shell) ?? throw new InvalidOperationException($"{shell} is not on PATH");
        var name = Path.GetFileName(shellPath) == "bash" ? "bash" : "sh";
        var shellArgs = login ? new[] { "-l" } : [];
        var setsid = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? Which("setsid") : null;
        return setsid is null
            ? new ShellCommand(shellPath, shellArgs, name, false)
            : new ShellCommand(setsid, [shellPath, .. shellArgs], name, true);
    }

    private static string? Which(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
