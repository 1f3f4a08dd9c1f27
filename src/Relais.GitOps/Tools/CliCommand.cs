using System.ComponentModel;
using System.Diagnostics;

namespace Relais.GitOps.Tools;

/// <summary>
/// One run of a command-line tool (docker, docker-compose, kubectl): the program, its arguments (a list, never through
/// a shell), the folder it runs in, environment additions and standard input. Cancelling kills the process tree.
/// </summary>
public sealed record CliCommand(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables added to (or overriding) the agent's own; a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Written to standard input, which is then closed; null closes it at once.</summary>
    public string? Input { get; init; }

    /// <summary>The command as a person would type it (for logs and <c>relais gitops diff</c>; arguments quoted when needed).</summary>
    public override string ToString() =>
        string.Join(' ', new[] { Program }.Concat(Arguments).Select(a => a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    /// <summary>Runs the command to its end and answers what it printed.</summary>
    public async Task<CliResult> RunAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory ?? System.Environment.CurrentDirectory,
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception($"{Program} did not start");
        }
        catch (Win32Exception e)
        {
            return new CliResult(CliResult.NotStarted, "", $"{Program}: {e.Message}");
        }

        using (process)
        using (cancellationToken.Register(() => Kill(process)))
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (Input is not null)
            {
                try
                {
                    await process.StandardInput.WriteAsync(Input);
                }
                catch (IOException)
                {
                    // The program ended without reading its input; its exit code says why.
                }
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(CancellationToken.None);
            var result = new CliResult(process.ExitCode, await output, await error);
            cancellationToken.ThrowIfCancellationRequested();
            return result;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }
}
