using System.Diagnostics;

namespace Relais.Server.Tests.Git;

/// <summary>The real git CLI on a temp working copy, isolated from the user's config, never prompting.</summary>
internal sealed class GitClient : IDisposable
{
    public GitClient(string? dir = null)
    {
        Dir = dir ?? Path.Combine(Path.GetTempPath(), "relais-git-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    /// <summary>A new repository on branch <c>main</c>.</summary>
    public static GitClient Init()
    {
        var git = new GitClient();
        git.Ok("init", "--quiet", "--initial-branch=main");
        return git;
    }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Stages everything and commits; returns the new sha.</summary>
    public string Commit(string message)
    {
        Ok("add", "-A");
        Ok("commit", "--quiet", "-m", message);
        return Ok("rev-parse", "HEAD").Trim();
    }

    /// <summary>
    /// Commits a change to <c>src/file.txt</c> and pushes it to <paramref name="remote"/>, <paramref name="times"/> times;
    /// returns the wall time of each <c>git push</c> (which returns once the pipeline exists), in milliseconds, sorted.
    /// </summary>
    public List<double> TimePushes(string remote, int times = 10)
    {
        var samples = new List<double>(times);
        var clock = new System.Diagnostics.Stopwatch();
        for (var i = 0; i < times; i++)
        {
            Write("src/file.txt", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Commit("change " + i);
            clock.Restart();
            Ok("push", "--quiet", remote, "main");
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return samples;
    }

    public string Ok(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, $"git {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    public (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("credential.helper=");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Ada Lovelace";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "ada@example.com";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // git makes pack files read-only; best effort.
        }
    }
}
