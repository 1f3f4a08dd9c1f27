using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Relais.Protocol;
using Relais.Server.Logging;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>Issue #12, item 6: user text in the server's log can neither start a new line nor drive the terminal.</summary>
public sealed class LogForgingTests
{
    private const string Forged = "relais serve: user root signed in from 10.6.6.6";

    [Theory]
    [InlineData("build\n" + Forged, "build\\n" + Forged)]
    [InlineData("build\r" + Forged, "build\\r" + Forged)]
    [InlineData("red\u001b[31m", "red\\x1B[31m")]
    [InlineData("next\u2028line\u0085", "next\\u2028line\\x85")]
    [InlineData("back\\n slash", "back\\\\n slash")]
    [InlineData("plain name: é ✓", "plain name: é ✓")]
    public void Control_characters_in_user_text_are_written_as_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, LogText.Safe(text));

    [Fact]
    public async Task A_job_name_with_a_newline_and_a_terminal_escape_cannot_forge_a_server_log_line()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("demo", "variables: { GIT_STRATEGY: none }\n\"build\\n" + Forged + "\\e[2J\":\n  script: [echo hi]\n");
        var (_, runnerToken) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);
        Assert.Contains('\n', (await f.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline)).Single().Name);

        var log = new StringWriter();
        await using (RunningAgent.Start(f.Server, runnerToken, "forging", log: TextWriter.Synchronized(log)))
        {
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!log.ToString().Contains(" finished: ", StringComparison.Ordinal) && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }

        var text = log.ToString();
        Assert.Contains("build\\n" + Forged + "\\x1B[2J", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.False(line.StartsWith("relais serve:", StringComparison.Ordinal), text));
    }

    [Fact]
    public void A_logged_exception_quoting_user_text_stays_on_one_console_line()
    {
        var formatter = new OneLineLogFormatter();
        var output = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Error, "Relais.Request", new EventId(1), "request for /root/x\n" + Forged, new InvalidOperationException("bad ref `main\r\n" + Forged + "`"), (s, _) => s);
        formatter.Write(entry, null, output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("fail: Relais.Request[1] request for /root/x\\n" + Forged, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', lines[0]);
    }
}
