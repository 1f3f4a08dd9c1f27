namespace Relais.Cli.Tests;

/// <summary>The commands sshd runs, when the coordinator is down: one line saying so, never a stack trace (it would reach the user's terminal or sshd's log).</summary>
public sealed class SshCommandsTests
{
    [Fact]
    public async Task With_the_coordinator_down_the_commands_say_so_in_one_line()
    {
        using var dir = new TempDirectory("ssh-commands");
        var secret = dir.Write("shell-secret", new string('a', 64));
        var url = $"http://127.0.0.1:{FreePorts.Next()}";

        var keys = await RunAsync(["ssh-keys", "--url", url, "--secret-file", secret, "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"]);
        var git = await RunAsync(["ssh-git", "--url", url, "--secret-file", secret, "key-1"]);

        Assert.Equal(1, keys.Exit);
        Assert.Equal("", keys.Out);
        Assert.StartsWith("relais ssh-keys: the coordinator at " + url + " is not reachable", keys.Err, StringComparison.Ordinal);
        Assert.Equal(1, git.Exit);
        Assert.StartsWith("ERROR: Relais is not reachable right now", git.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", keys.Err + git.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_secret_file_the_commands_refuse_to_start()
    {
        var keys = await RunAsync(["ssh-keys", "--url", "http://127.0.0.1:1", "--secret-file", "/nonexistent/shell-secret", "ssh-ed25519", "AAAA"]);

        Assert.Equal(2, keys.Exit);
        Assert.Contains("cannot read the shell secret", keys.Err, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
