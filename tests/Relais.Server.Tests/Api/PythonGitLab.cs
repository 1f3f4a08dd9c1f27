using System.Diagnostics;
using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>
/// python-gitlab as a library (Debian's <c>python3-gitlab</c>, which the <c>gitlab-cli</c> package brings), for calls its
/// CLI cannot make (a commit's <c>actions</c>): runs a Python script with <c>gl</c>, a <c>gitlab.Gitlab</c> signed in to
/// the server, and parses what the script prints as JSON. The interpreter is the one the CLI's script names.
/// </summary>
internal static class PythonGitLab
{
    private static readonly Lazy<string?> Interpreter = new(Locate);

    public static bool Available => Interpreter.Value is not null;

    /// <summary>Runs <paramref name="script"/> (after <c>import gitlab, json</c> and <c>gl = …</c>); its last printed line is JSON.</summary>
    public static async Task<JsonElement> RunAsync(string serverUrl, string token, string script)
    {
        var (code, stdout, stderr) = await RunRawAsync(serverUrl, token, script);
        Assert.True(code == 0, $"python-gitlab script exited {code}: {stderr}{stdout}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "null";
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    /// <summary>Runs the script and returns its exit code and both streams (for scripts that are meant to fail).</summary>
    public static async Task<(int Code, string Out, string Err)> RunRawAsync(string serverUrl, string token, string script)
    {
        var prelude = "import gitlab, json, os\ngl = gitlab.Gitlab(os.environ['RELAIS_URL'], private_token=os.environ['RELAIS_TOKEN'])\n";
        var start = new ProcessStartInfo(Interpreter.Value!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(prelude + script);
        start.Environment["RELAIS_URL"] = serverUrl;
        start.Environment["RELAIS_TOKEN"] = token;
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? Locate()
    {
        if (GitLabCli.Path is not { } cli)
        {
            return null;
        }

        var shebang = File.ReadLines(cli).FirstOrDefault() ?? "";
        var python = shebang.StartsWith("#!", StringComparison.Ordinal) ? shebang[2..].Trim().Split(' ')[0] : "python3";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import gitlab"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.WaitForExit(TimeSpan.FromSeconds(20));
            return probe.ExitCode == 0 ? python : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>A fact that is skipped, saying why, when python-gitlab's library is not installed and cannot be.</summary>
public sealed class PythonGitLabFactAttribute : FactAttribute
{
    public PythonGitLabFactAttribute()
    {
        if (!PythonGitLab.Available)
        {
            Skip = "python-gitlab (Debian packages gitlab-cli and python3-gitlab) is not installed and scripts/install-deps.sh could not install it";
        }
    }
}
