using System.Diagnostics;

namespace Relais.Server.Git;

/// <summary>The one place the server shells out to git for short commands (refs, logs, diffs, file reads).</summary>
internal static class GitCommand
{
    /// <summary>A git process in <paramref name="gitDir"/> with the given arguments and redirected streams (not started).</summary>
    public static ProcessStartInfo StartInfo(string gitDir, IEnumerable<string> args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = gitDir,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GIT_DIR"] = gitDir;
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>git's standard output, or null when it exited non-zero.</summary>
    public static string? Run(string gitDir, params string[] args)
    {
        using var process = Process.Start(StartInfo(gitDir, args))!;
        process.ErrorDataReceived += static (_, _) => { }; // drained so git never blocks on a full pipe; only the exit code matters
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : null;
    }

    /// <summary>Like <see cref="Run"/>, asynchronously.</summary>
    public static async Task<string?> RunAsync(string gitDir, params string[] args)
    {
        using var process = Process.Start(StartInfo(gitDir, args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        _ = await stderr;
        return process.ExitCode == 0 ? stdout : null;
    }

    /// <summary>Runs git and throws when it fails (for commands that must work, like <c>init</c>).</summary>
    public static async Task MustRunAsync(string gitDir, params string[] args)
    {
        if (await RunAsync(gitDir, args) is null)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {gitDir}");
        }
    }
}
