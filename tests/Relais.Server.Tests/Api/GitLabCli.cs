using System.Diagnostics;

namespace Relais.Server.Tests.Api;

/// <summary>
/// python-gitlab's command-line client (Debian's <c>gitlab-cli</c>, installed as <c>gitlab</c> or <c>python-gitlab</c>).
/// When it is missing, <c>scripts/install-deps.sh</c> is run once (apt-get) before giving up.
/// </summary>
internal static class GitLabCli
{
    private static readonly Lazy<string?> Found = new(Locate);

    public static string? Path => Found.Value;

    /// <summary>Runs the client against <paramref name="serverUrl"/> with JSON output; returns the exit code and both streams.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string serverUrl, string token, params string[] args)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--server-url", serverUrl, "--private-token", token, "-o", "json" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = System.IO.Path.GetTempPath(); // no ~/.python-gitlab.cfg of the machine
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? Locate()
    {
        if (Which() is { } found)
        {
            return found;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Relais.sln")))
        {
            dir = dir.Parent;
        }

        var script = dir is null ? null : System.IO.Path.Combine(dir.FullName, "scripts", "install-deps.sh");
        if (script is not null && File.Exists(script))
        {
            try
            {
                using var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                install.WaitForExit(TimeSpan.FromMinutes(3));
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No bash: nothing more to try.
            }
        }

        return Which();
    }

    private static string? Which() =>
        new[] { "gitlab", "python-gitlab" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => System.IO.Path.Combine(d, name)))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact that is skipped, saying why, when python-gitlab's CLI is not installed and cannot be.</summary>
public sealed class GitLabCliFactAttribute : FactAttribute
{
    public GitLabCliFactAttribute()
    {
        if (GitLabCli.Path is null)
        {
            Skip = "python-gitlab's CLI (Debian package gitlab-cli) is not installed and scripts/install-deps.sh could not install it";
        }
    }
}
