using System.Diagnostics;
using System.Text;

namespace Relais.Git;

/// <summary>
/// A git process that is running (from <see cref="GitProcess.Start"/>). Its standard error is read in the background
/// (kept, up to 64 KiB, for the result; or handed to a sink). Dispose it: disposing kills it (and its children) when
/// it is still running, so a caller that gives up leaves no git behind. Not thread-safe, except <see cref="Kill"/>.
/// </summary>
public sealed class RunningGit : IAsyncDisposable
{
    private const int MaxError = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Task _errorPump;

    internal RunningGit(Process process, Action<ReadOnlyMemory<byte>>? errorSink)
    {
        _process = process;
        _errorPump = GitProcess.PumpAsync(process.StandardError.BaseStream, errorSink ?? KeepError);
    }

    /// <summary>git's standard input (closed already unless the process was started with input).</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>git's standard output.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>True once the process has been waited for or disposed.</summary>
    public bool HasExited { get; private set; }

    /// <summary>Waits for git to end (its standard error read to the end); cancelling kills it first.</summary>
    public Task<GitResult> WaitForExitAsync(CancellationToken cancellationToken) => WaitForExitAsync(Task.CompletedTask, cancellationToken);

    /// <summary>Kills git and its children when they are still running.</summary>
    public void Kill()
    {
        try
        {
            if (!HasExited && !_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended in between.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        HasExited = true;
        try
        {
            await _errorPump;
        }
        catch (IOException)
        {
            // The pipe broke as git was killed.
        }

        _process.Dispose();
    }

    /// <summary>Waits for git to end and for <paramref name="outputPump"/> (the caller's reader of standard output).</summary>
    internal async Task<GitResult> WaitForExitAsync(Task outputPump, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        HasExited = true;
        await Task.WhenAll(outputPump, _errorPump);
        string error;
        lock (_error)
        {
            error = _error.ToString();
        }

        return new GitResult(_process.ExitCode, [], error);
    }

    private void KeepError(ReadOnlyMemory<byte> chunk)
    {
        lock (_error)
        {
            if (_error.Length < MaxError)
            {
                _error.Append(Encoding.UTF8.GetString(chunk.Span));
            }
        }
    }
}
