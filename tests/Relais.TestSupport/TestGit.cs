using System.Diagnostics;

namespace Relais.TestSupport;

/// <summary>Runs the real git CLI for test fixtures.</summary>
public static class TestGit
{
    public static string Run(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "Test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.com";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output.Trim();
    }

    /// <summary>Creates a repository with one commit on <c>main</c> holding <paramref name="files"/>; returns HEAD.</summary>
    public static string InitRepository(string directory, params (string Path, string Content)[] files)
    {
        Directory.CreateDirectory(directory);
        Run(directory, "init", "-q", "-b", "main");
        Run(directory, "config", "protocol.file.allow", "always");
        return Commit(directory, "initial", files);
    }

    public static string Commit(string directory, string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(directory, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Run(directory, "add", "-A");
        Run(directory, "commit", "-q", "--allow-empty", "-m", message);
        return Run(directory, "rev-parse", "HEAD");
    }
}
