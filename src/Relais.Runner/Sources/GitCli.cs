using System.Diagnostics;
using System.Text;
using Relais.Runner.Trace;

namespace Relais.Runner.Sources;

/// <summary>Runs the git CLI: output streamed to the job log, or captured; the process tree is killed on cancellation.</summary>
internal static class GitCli
{
    /// <summary>Runs git in <paramref name="directory"/> with its output going to <paramref name="log"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string directory, IReadOnlyList<string> arguments, IJobLog log, CancellationToken cancellationToken)
    {
        var (code, _) = await ExecuteAsync(directory, arguments, log, cancellationToken);
        return code;
    }

    /// <summary>Runs git and captures its stdout (stderr goes nowhere).</summary>
    public static Task<(int ExitCode, byte[] Output)> CaptureAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExecuteAsync(directory, arguments, null, cancellationToken);

    /// <summary>Splits <c>-z</c> output into paths.</summary>
    public static IReadOnlyList<string> SplitNul(byte[] output) =>
        Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int, byte[])> ExecuteAsync(string directory, IReadOnlyList<string> arguments, IJobLog? log, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["LC_ALL"] = "C";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        var captured = new MemoryStream();
        var stdout = log is null ? process.StandardOutput.BaseStream.CopyToAsync(captured, CancellationToken.None) : PumpAsync(process.StandardOutput.BaseStream, log);
        var stderr = log is null ? process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None) : PumpAsync(process.StandardError.BaseStream, log);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, captured.ToArray());
    }

    private static async Task PumpAsync(Stream stream, IJobLog log)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            log.Write(buffer.AsSpan(0, read));
        }
    }
}
