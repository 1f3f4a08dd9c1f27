using System.Globalization;

namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// <c>relais ssh-keys --url URL --secret-file FILE TYPE BASE64</c>: sshd's <c>AuthorizedKeysCommand</c> (sshd passes the
/// offered key as <c>%t %k</c>). Asks the coordinator whom the key answers for and prints one <c>authorized_keys</c>
/// line — the stored key with the forced command <c>relais ssh-git … key-ID</c> and no forwarding, no PTY — or nothing
/// (an unknown, expired or blocked owner's key: sshd refuses it). Problems go to stderr, which sshd logs.
/// </summary>
internal static class SshKeysCommand
{
    private static readonly HashSet<string> Valued = ["url", "secret-file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr)
    {
        var args = Args.Parse(argv, Valued, new HashSet<string>(), out var error);
        using var client = error is null ? ShellClient.Open(args, out error) : null;
        if (client is null || args.Positional.Count != 2)
        {
            await stderr.WriteLineAsync($"relais ssh-keys: {error ?? "usage: relais ssh-keys --url URL --secret-file FILE TYPE BASE64"}");
            return 2;
        }

        var (type, blob) = (args.Positional[0], args.Positional[1]);
        int status;
        System.Text.Json.JsonElement? body;
        try
        {
            (status, body) = await client.InternalAsync(
                HttpMethod.Get,
                "/api/v4/internal/ssh/authorized_keys?key_type=" + Uri.EscapeDataString(type) + "&key=" + Uri.EscapeDataString(blob),
                null,
                CancellationToken.None);
        }
        catch (HttpRequestException e)
        {
            await stderr.WriteLineAsync($"relais ssh-keys: the coordinator at {client.Url} is not reachable: {e.Message}");
            return 1;
        }

        if (status == 404)
        {
            return 0;
        }

        if (status != 200 || body is not { } json || !json.TryGetProperty("id", out var id) || !json.TryGetProperty("key", out var key))
        {
            await stderr.WriteLineAsync($"relais ssh-keys: the coordinator answered {status}");
            return 1;
        }

        var command = RelaisExecutable.Command().Concat(["ssh-git", "--url", client.Url, "--secret-file", client.SecretFile, "key-" + id.GetInt64().ToString(CultureInfo.InvariantCulture)]).ToList();
        if (!command.All(RelaisExecutable.IsShellSafe))
        {
            await stderr.WriteLineAsync("relais ssh-keys: the relais path or the secret file's path has characters a forced command cannot carry unquoted");
            return 1;
        }

        await stdout.WriteLineAsync($"command=\"{string.Join(' ', command)}\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty {key.GetString()}");
        return 0;
    }
}
