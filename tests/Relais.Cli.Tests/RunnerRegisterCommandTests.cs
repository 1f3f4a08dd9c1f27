using Relais.Cli.Commands;
using Relais.TestSupport;

namespace Relais.Cli.Tests;

/// <summary>
/// <c>relais runner register</c> without <c>--non-interactive</c> asks for what the flags leave out, as
/// <c>gitlab-runner register</c> does, and reports an unreachable server without writing the config file.
/// (Registering against a real server: <c>Relais.EndToEnd.PushToRunnerTests</c>.)
/// </summary>
public sealed class RunnerRegisterCommandTests
{
    [Fact]
    public async Task It_asks_for_what_is_missing_and_reports_an_unreachable_server()
    {
        using var dir = new TempDirectory();
        var port = FreePorts.Next();
        using var stdin = new StringReader($"http://127.0.0.1:{port}/\nglrt-typed-token\nmy runner\nlinux, big\ndocker\n\n");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await RunnerRegisterCommand.RunAsync([], stdin, stdout, stderr, dir.Path);

        Assert.Equal(1, code);
        var asked = stdout.ToString();
        Assert.Contains("Enter the server URL", asked, StringComparison.Ordinal);
        Assert.Contains("Enter tags for the runner", asked, StringComparison.Ordinal);
        Assert.Contains("Enter the default Docker image (for example, busybox:latest): [busybox:latest]", asked, StringComparison.Ordinal);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}/", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, RunnerRegisterCommand.DefaultConfig)));
    }

    [Fact]
    public async Task Non_interactive_without_a_url_fails_at_once()
    {
        using var dir = new TempDirectory();
        using var stderr = new StringWriter();

        var code = await RunnerRegisterCommand.RunAsync(["--non-interactive", "--token", "glrt-x"], new StringReader(""), TextWriter.Null, stderr, dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("give --url", stderr.ToString(), StringComparison.Ordinal);
    }
}
