using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// One real <c>relais serve --ssh-port</c> (and the sshd it runs) shared by the git-over-SSH tests, with helpers that run
/// the real OpenSSH client and git with keys made by <c>ssh-keygen</c>. Host keys are pinned from <c>ssh-keyscan</c>.
/// </summary>
public sealed class SshGitServer : IAsyncLifetime
{
    private readonly ProcessWorkspace _workspace = new("ssh");

    public int HttpPort { get; } = FreePorts.Next();

    public int SshPort { get; } = FreePorts.Next();

    public string RootToken { get; } = "glpat-" + Guid.NewGuid().ToString("N")[..20];

    public string Root => _workspace.Root;

    public string DataDir => Path.Combine(Root, "data");

    public string Url => $"http://127.0.0.1:{HttpPort}";

    public string SshBase => $"ssh://git@127.0.0.1:{SshPort}";

    internal RelaisProcess Server { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    private string KnownHosts => Path.Combine(Root, "known_hosts");

    public async Task InitializeAsync()
    {
        if (SshTest.SkipReason is not null)
        {
            return;
        }

        Server = _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = RootToken },
            ["serve", "--data", DataDir, "--urls", Url, "--no-runner", "--ssh-port", SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        await RelaisProcess.WaitForPortAsync(HttpPort, Server, TimeSpan.FromSeconds(60));
        Api = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Add("PRIVATE-TOKEN", RootToken);
        await PinHostKeysAsync();
    }

    /// <summary>Waits until <c>ssh-keyscan</c> gets both host keys and writes them to the known_hosts file the helpers use.</summary>
    public async Task PinHostKeysAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var scan = await RunAsync("ssh-keyscan", ["-p", SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "ed25519,rsa", "127.0.0.1"]);
            if (scan.Code == 0 && scan.Out.Contains("ssh-ed25519", StringComparison.Ordinal) && scan.Out.Contains("ssh-rsa", StringComparison.Ordinal))
            {
                await File.WriteAllTextAsync(KnownHosts, scan.Out);
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "ssh-keyscan never got the host keys:\n" + scan.Err + "\nserver:\n" + Server.Output);
            await Task.Delay(200);
        }
    }

    /// <summary>Where the server keeps the shell secret: the <c>--secret-file</c> its sshd config gives the key command.</summary>
    public string ShellSecretPath()
    {
        var words = File.ReadAllText(Path.Combine(DataDir, "ssh", "sshd_config")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return words[Array.IndexOf(words, "--secret-file") + 1];
    }

    /// <summary>A new key pair made by ssh-keygen; returns the private key's path (the public key is next to it, .pub).</summary>
    public async Task<string> NewKeyAsync(string name, string type = "ed25519")
    {
        var path = Path.Combine(Root, "keys", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var made = await RunAsync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", name, "-f", path]);
        Assert.True(made.Code == 0, made.Err);
        return path;
    }

    /// <summary>POSTs a form with root's token; asserts success and returns the JSON answer.</summary>
    public async Task<JsonElement> PostAsync(string path, Dictionary<string, string> form)
    {
        using var response = await Api.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path) => await Api.GetFromJsonAsync<JsonElement>(path);

    /// <summary>The ssh command line the helpers use: this key only, the pinned host keys, no agent, no questions.</summary>
    public string SshCommand(string key) =>
        $"ssh -i {key} -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile={KnownHosts} -o LogLevel=ERROR";

    /// <summary>Runs <c>ssh -p PORT git@127.0.0.1 COMMAND</c> with <paramref name="key"/>.</summary>
    public Task<(int Code, string Out, string Err)> SshAsync(string key, params string[] command) =>
        RunAsync("sh", ["-c", SshCommand(key) + $" -p {SshPort} git@127.0.0.1 \"$@\" </dev/null", "ssh", .. command]);

    /// <summary>Runs git in <paramref name="directory"/> with <c>GIT_SSH_COMMAND</c> using <paramref name="key"/>.</summary>
    public Task<(int Code, string Out, string Err)> GitAsync(string key, string directory, params string[] args) =>
        RunAsync("git", args, directory, new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = SshCommand(key), ["GIT_TERMINAL_PROMPT"] = "0" });

    public static async Task<(int Code, string Out, string Err)> RunAsync(string program, IReadOnlyList<string> args, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    public Task DisposeAsync()
    {
        Api?.Dispose();
        _workspace.Dispose();
        return Task.CompletedTask;
    }
}
