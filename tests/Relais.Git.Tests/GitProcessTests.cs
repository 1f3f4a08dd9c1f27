using System.Diagnostics;
using System.Text;

namespace Relais.Git.Tests;

public sealed class GitProcessTests
{
    [Fact]
    public async Task Run_captures_the_exit_code_the_output_and_the_error()
    {
        using var repo = await TempRepository.InitAsync();

        var ok = await repo.Git.RunAsync(["rev-parse", "--is-inside-work-tree"], CancellationToken.None);
        var bad = await repo.Git.RunAsync(["rev-parse", "--verify", "no-such-branch"], CancellationToken.None);

        Assert.True(ok.Succeeded);
        Assert.Equal("true", ok.FirstLine);
        Assert.False(bad.Succeeded);
        Assert.Equal(128, bad.ExitCode);
        Assert.Contains("fatal", bad.Error, StringComparison.Ordinal);
        Assert.Null(bad.FirstLine);
    }

    [Fact]
    public async Task A_git_that_cannot_start_is_a_result_not_an_exception()
    {
        var missing = Path.Combine(Path.GetTempPath(), "relais-no-such-dir-" + Guid.NewGuid().ToString("N"));

        var result = await GitProcess.RunAsync(new GitStart(missing, ["--version"]), CancellationToken.None);

        Assert.Equal(GitResult.NotStarted, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task Git_never_prompts_and_speaks_english_and_takes_more_environment()
    {
        using var repo = await TempRepository.InitAsync();
        var start = repo.Git.Command("-c", "alias.env=!printf '%s %s %s' \"$GIT_TERMINAL_PROMPT\" \"$LC_ALL\" \"$EXTRA\"", "env") with
        {
            Environment = new Dictionary<string, string> { ["EXTRA"] = "yes" },
        };

        var result = await GitProcess.RunAsync(start, CancellationToken.None);

        Assert.Equal("0 C yes", result.Text);
    }

    [Fact]
    public async Task Cancelling_kills_git_and_its_children()
    {
        using var repo = await TempRepository.InitAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            repo.Git.RunAsync(["-c", "alias.wait=!sleep 30", "wait"], cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Stream_hands_both_streams_to_the_sink_as_they_come()
    {
        using var repo = await TempRepository.InitAsync();
        var seen = new StringBuilder();

        var code = await GitProcess.StreamAsync(
            repo.Git.Command("-c", "alias.talk=!echo out; echo err >&2; exit 3", "talk"),
            chunk => { lock (seen) { seen.Append(Encoding.UTF8.GetString(chunk.Span)); } },
            CancellationToken.None);

        Assert.Equal(3, code);
        Assert.Contains("out\n", seen.ToString(), StringComparison.Ordinal);
        Assert.Contains("err\n", seen.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_started_git_pipes_input_to_output()
    {
        using var repo = await TempRepository.InitAsync();
        await using var git = GitProcess.Start(repo.Git.Command("hash-object", "--stdin"), redirectInput: true);

        await git.Input.WriteAsync(Encoding.UTF8.GetBytes("hello\n"));
        await git.Input.DisposeAsync();
        using var reader = new StreamReader(git.Output);
        var hash = await reader.ReadToEndAsync();
        var exit = await git.WaitForExitAsync(CancellationToken.None);

        Assert.Equal("ce013625030ba8dba906f756967f9e9ca394464a", hash.Trim());
        Assert.True(exit.Succeeded);
    }
}
