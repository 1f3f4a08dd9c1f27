using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>
/// Masked values never reach a stored trace, also when the job prints one in pieces that the real runner agent
/// ships in separate <c>PATCH /trace</c> calls (it sends what it has every 100 ms here; the job pauses a second
/// in the middle of the secret).
/// </summary>
public sealed class MaskingTests
{
    private const string Secret = "Split-Secret-Value-987";

    private const string Pipeline = """
        variables: { GIT_STRATEGY: none }
        job:
          script:
            - printf 'before '; printf '%s' "$SPLIT_ME" | cut -c1-9 | tr -d '\n'; sleep 1; printf '%s' "$SPLIT_ME" | cut -c10- | tr -d '\n'; echo ' after'
            - echo "whole $SPLIT_ME"
        """;

    [Fact]
    public async Task A_masked_value_split_across_trace_patches_is_masked_in_the_stored_trace()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("demo", Pipeline);
        var (created, _) = await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, $$"""{"key":"SPLIT_ME","value":"{{Secret}}","masked":true}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var (_, runnerToken) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);

        await using var agent = RunningAgent.Start(f.Server, runnerToken, "masking");
        var job = await f.Server.WaitForFinishedJobAsync(pipeline, TimeSpan.FromSeconds(60));
        var trace = Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(job.Id, default));
        Assert.True(job.Status == CiStatus.Success, $"{job.Status} ({job.FailureReason}):\n{trace}");
        Assert.True(trace.Contains("before [MASKED] after", StringComparison.Ordinal), trace);
        Assert.Contains("whole [MASKED]", trace, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, trace, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..9], trace, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[9..], trace, StringComparison.Ordinal);
    }
}
