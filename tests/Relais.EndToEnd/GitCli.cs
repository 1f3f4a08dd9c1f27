using System.Diagnostics;

namespace Relais.EndToEnd;

/// <summary>Runs the real git CLI for a test and fails the test, with git's error, when it exits non-zero.</summary>
internal static class GitCli
{
    public static void Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEndAsync();
        git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error.Result}");
    }
}
