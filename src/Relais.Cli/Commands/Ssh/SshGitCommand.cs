using System.Globalization;

namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// <c>relais ssh-git --url URL --secret-file FILE key-ID</c>: the forced command of every key sshd accepts. It reads
/// <c>SSH_ORIGINAL_COMMAND</c>: none → <c>Welcome to Relais, @user!</c>; a git service on a project → asks the
/// coordinator whether this key may (<c>POST /api/v4/internal/ssh/allowed</c>; its refusal is printed as
/// <c>ERROR: …</c>, as GitLab Shell does) and relays the session with the short-lived token it gets
/// (<see cref="GitSshRelay"/>); anything else → refused, exit 1. It touches no file but the secret.
/// </summary>
internal static class SshGitCommand
{
    private static readonly HashSet<string> Valued = ["url", "secret-file"];

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr)
    {
        var args = Args.Parse(argv, Valued, new HashSet<string>(), out var error);
        using var client = error is null ? ShellClient.Open(args, out error) : null;
        if (client is null || args.Positional.Count != 1 || !args.Positional[0].StartsWith("key-", StringComparison.Ordinal)
            || !long.TryParse(args.Positional[0]["key-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var keyId))
        {
            await stderr.WriteLineAsync($"relais ssh-git: {error ?? "usage: relais ssh-git --url URL --secret-file FILE key-ID"}");
            return 2;
        }

        try
        {
            return await ServeAsync(client, keyId, stdout, stderr);
        }
        catch (HttpRequestException e)
        {
            await stderr.WriteLineAsync($"ERROR: Relais is not reachable right now ({e.Message}). Try again later.");
            return 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            await stderr.WriteLineAsync($"ERROR: the git session broke off: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ServeAsync(ShellClient client, long keyId, TextWriter stdout, TextWriter stderr)
    {
        var original = Environment.GetEnvironmentVariable("SSH_ORIGINAL_COMMAND") ?? "";
        var keyField = keyId.ToString(CultureInfo.InvariantCulture);
        if (original.Trim().Length == 0)
        {
            var (_, who) = await client.InternalAsync(HttpMethod.Post, "/api/v4/internal/ssh/allowed", new Dictionary<string, string> { ["key_id"] = keyField, ["action"] = "discover" }, CancellationToken.None);
            var username = who is { } w && w.TryGetProperty("username", out var u) && u.GetString() is { } name ? "@" + name : "Anonymous";
            await stdout.WriteLineAsync($"Welcome to Relais, {username}!");
            return 0;
        }

        if (GitSshRequest.Parse(original) is not { } request)
        {
            await stderr.WriteLineAsync("ERROR: Disallowed command. Relais runs git-upload-pack and git-receive-pack on a project (group/name.git); there is no shell.");
            return 1;
        }

        var (status, body) = await client.InternalAsync(
            HttpMethod.Post,
            "/api/v4/internal/ssh/allowed",
            new Dictionary<string, string> { ["key_id"] = keyField, ["action"] = request.Service, ["project"] = request.ProjectPath },
            CancellationToken.None);
        if (status != 200 || body is not { } json || !json.TryGetProperty("token", out var token))
        {
            var message = body is { } b && b.TryGetProperty("message", out var m) ? m.GetString() : $"the server answered {status}";
            await stderr.WriteLineAsync("ERROR: " + message);
            return 1;
        }

        await using var stdin = Console.OpenStandardInput();
        await using var output = Console.OpenStandardOutput();
        var relay = new GitSshRelay(client, request, ShellClient.Basic("relais-ssh", token.GetString()!), stdin, output, stderr);
        return await relay.RunAsync(CancellationToken.None);
    }
}
