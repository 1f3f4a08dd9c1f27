using System.Diagnostics;

namespace Relais.Cli.Git;

/// <summary>Runs the git CLI in a repository and returns its output; the one place the CLI shells out to git.</summary>
internal sealed class GitCli(string workingDirectory)
{
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>git's standard output, or null when git failed (not a repository, unknown revision, no git).</summary>
    public string? Run(params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            process.ErrorDataReceived += static (_, _) => { }; // drained so git never blocks on a full pipe; only the exit code matters
            process.BeginErrorReadLine();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? stdout : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public string? Line(params string[] args) => Run(args)?.Trim() is { Length: > 0 } line ? line : null;

    public IReadOnlyList<string> Lines(params string[] args) =>
        Run(args)?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>The top of the checkout containing <paramref name="directory"/>, or null outside one.</summary>
    public static string? TopLevel(string directory) => new GitCli(directory).Line("rev-parse", "--show-toplevel");
}
