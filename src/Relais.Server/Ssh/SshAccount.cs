using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Relais.Server.Ssh;

/// <summary>
/// The OS account git over SSH logs in as. Run as root, Relais uses the account <c>git</c>, creating it when missing
/// (a system account, shell <c>/bin/sh</c> to run the forced command, password field <c>*</c>: no password works, yet
/// the account is not "locked", which sshd would refuse; home <c>DATA/ssh-home</c>). Run as another user, sshd runs
/// unprivileged and can only let in that same user, so the URL user is that user. Either way the home folder holds
/// the shell secret, owned by the account and 0700.
/// </summary>
internal sealed partial record SshAccount(string Name, bool Separate)
{
    public const string GitUser = "git";

    private const string Comment = "Relais git over SSH";

    /// <summary>The account to use, created or updated as needed; the home folder exists and belongs to it.</summary>
    public static async Task<SshAccount> EnsureAsync(string home, TextWriter log, CancellationToken cancel)
    {
        Directory.CreateDirectory(home);
        if (OperatingSystem.IsWindows() || Geteuid() != 0)
        {
            return new SshAccount(Environment.UserName, Separate: false);
        }

        var entry = await RunAsync("getent", ["passwd", GitUser], cancel);
        if (entry.Code != 0)
        {
            await CheckAsync("useradd", ["--system", "--home-dir", home, "--no-create-home", "--shell", "/bin/sh", "--comment", Comment, GitUser], cancel);
            await CheckAsync("usermod", ["--password", "*", GitUser], cancel);
            await log.WriteLineAsync($"relais: created the OS account `{GitUser}` for git over SSH (home {home})");
        }
        else if (entry.Output.Split(':') is { Length: >= 6 } fields && fields[4] == Comment && fields[5] != home)
        {
            // Ours, made for another data folder: its home follows this server when it can. It cannot while another
            // server's sshd runs as the account; that is harmless (the commands are given the secret's path), so say it and go on.
            var moved = await RunAsync("usermod", ["--home", home, GitUser], cancel);
            if (moved.Code != 0)
            {
                await log.WriteLineAsync($"relais: the OS account `{GitUser}` keeps its home {fields[5]} ({moved.Output.Trim()})");
            }
        }

        await CheckAsync("chown", [GitUser + ":", home], cancel);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SshAccount(GitUser, Separate: true);
    }

    /// <summary>Hands a file in the home folder to the account (root only; otherwise it is already the server's).</summary>
    public async Task GiveAsync(string path, CancellationToken cancel)
    {
        if (Separate)
        {
            await CheckAsync("chown", [Name + ":", path], cancel);
        }
    }

    private static async Task CheckAsync(string program, IReadOnlyList<string> args, CancellationToken cancel)
    {
        var result = await RunAsync(program, args, cancel);
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({result.Code}): {result.Output.Trim()}");
        }
    }

    internal static async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> args, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await output + await error);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint Geteuid();

    /// <summary>Whether this process runs as root.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && Geteuid() == 0;
}
