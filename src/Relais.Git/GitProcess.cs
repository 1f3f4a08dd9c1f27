using System.ComponentModel;
using System.Diagnostics;

namespace Relais.Git;

/// <summary>
/// Runs the git CLI: the one place Relais starts a git process. <see cref="RunAsync"/> captures standard output,
/// <see cref="StreamAsync"/> hands both streams to a sink as they come (a job log), <see cref="Start"/> gives the
/// running process's streams to a caller that pipes data through it (smart HTTP, <c>cat-file --batch</c>).
/// Cancelling kills git and its children, waits for them to end, then throws <see cref="OperationCanceledException"/>.
/// </summary>
public static class GitProcess
{
    /// <summary>Runs git with standard input closed and returns its exit code, standard output and standard error.</summary>
    /// <remarks>
    /// The output is read with blocking reads on pool threads: a query ends in milliseconds, while .NET's async pipe
    /// reads bring a start-up cost of their own (its socket engine and generic code that ReadyToRun cannot
    /// precompile) that every short <c>relais</c> command would pay. Long-lived processes use <see cref="Start"/>.
    /// </remarks>
    public static async Task<GitResult> RunAsync(GitStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        Process process;
        try
        {
            process = StartProcess(start, redirectInput: false);
        }
        catch (Win32Exception e)
        {
            return new GitResult(GitResult.NotStarted, [], e.Message);
        }

        using (process)
        using (cancellationToken.Register(() => KillQuietly(process)))
        {
            var output = Task.Run(() => ReadAll(process.StandardOutput.BaseStream), CancellationToken.None);
            var error = Task.Run(process.StandardError.ReadToEnd, CancellationToken.None);
            await Task.Run(process.WaitForExit, CancellationToken.None);
            var result = new GitResult(process.ExitCode, await output, await error);
            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }
    }

    /// <summary>
    /// Runs git with <paramref name="input"/> as its standard input (written while the output is read, so neither side
    /// blocks) and returns its exit code, standard output and standard error.
    /// </summary>
    public static async Task<GitResult> RunWithInputAsync(GitStart start, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        RunningGit git;
        try
        {
            git = Start(start, redirectInput: true);
        }
        catch (Win32Exception e)
        {
            return new GitResult(GitResult.NotStarted, [], e.Message);
        }

        await using (git)
        {
            using var output = new MemoryStream();
            var read = git.Output.CopyToAsync(output, CancellationToken.None);
            try
            {
                await git.Input.WriteAsync(input, cancellationToken);
            }
            catch (IOException)
            {
                // git stopped reading: its exit code and error say why.
            }
            finally
            {
                try
                {
                    await git.Input.DisposeAsync();
                }
                catch (IOException)
                {
                    // Already broken.
                }
            }

            var result = await git.WaitForExitAsync(read, cancellationToken);
            return result with { Output = output.ToArray() };
        }
    }

    /// <summary>
    /// Runs git with standard input closed, giving each chunk of its standard output and standard error to
    /// <paramref name="sink"/> as it comes (from two threads, one per stream); returns the exit code.
    /// </summary>
    public static async Task<int> StreamAsync(GitStart start, Action<ReadOnlyMemory<byte>> sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(sink);
        RunningGit git;
        try
        {
            git = Start(start, redirectInput: false, sink);
        }
        catch (Win32Exception e)
        {
            sink(System.Text.Encoding.UTF8.GetBytes("git did not start: " + e.Message + "\n"));
            return GitResult.NotStarted;
        }

        await using (git)
        {
            var stdout = PumpAsync(git.Output, sink);
            return (await git.WaitForExitAsync(stdout, cancellationToken)).ExitCode;
        }
    }

    /// <summary>
    /// Starts git and returns it running; the caller reads <see cref="RunningGit.Output"/> (and writes
    /// <see cref="RunningGit.Input"/> when <paramref name="redirectInput"/>), then waits for it or disposes it (which
    /// kills it when still running). Standard error is collected, or given to <paramref name="errorSink"/>.
    /// </summary>
    /// <exception cref="Win32Exception">git could not be started (it is not installed).</exception>
    public static RunningGit Start(GitStart start, bool redirectInput, Action<ReadOnlyMemory<byte>>? errorSink = null) =>
        new(StartProcess(start, redirectInput), errorSink);

    private static Process StartProcess(GitStart start, bool redirectInput)
    {
        ArgumentNullException.ThrowIfNull(start);
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = start.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        if (start.GitDir is { } gitDir)
        {
            info.Environment["GIT_DIR"] = gitDir;
        }

        foreach (var (name, value) in start.Environment)
        {
            info.Environment[name] = value;
        }

        foreach (var argument in start.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new Win32Exception("git did not start");
        if (!redirectInput)
        {
            process.StandardInput.Close();
        }

        return process;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Kills git and its children (a cancelled query); a process that ended in between is left alone.</summary>
    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended in between.
        }
    }

    /// <summary>Copies <paramref name="stream"/> to <paramref name="sink"/> chunk by chunk until it ends.</summary>
    internal static async Task PumpAsync(Stream stream, Action<ReadOnlyMemory<byte>> sink)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            sink(buffer.AsMemory(0, read));
        }
    }
}
