using Relais.Runner.Agent;

namespace Relais.Runner.Tests.Agent;

/// <summary>
/// Issue 12: what a runner tells the coordinator about untrusted projects' jobs (<c>info.features.untrusted_jobs</c>).
/// docker and auto always take them (in containers); a shell runner only with <c>allow_untrusted: true</c>, off by default.
/// </summary>
public sealed class UntrustedJobsDeclarationTests
{
    [Theory]
    [InlineData("shell", "", false)]
    [InlineData("shell", "    allow_untrusted: false\n", false)]
    [InlineData("shell", "    allow_untrusted: true\n", true)]
    [InlineData("docker", "", true)]
    [InlineData("auto", "", true)]
    public void A_runner_declares_untrusted_jobs_only_when_it_isolates_them_or_its_config_allows_the_shell(string executor, string extra, bool declared)
    {
        var result = AgentConfigLoader.Load("runner.yml", $"runners:\n  - url: http://x\n    token: glrt-a\n    executor: {executor}\n{extra}", "/tmp");

        Assert.Null(result.Error);
        var entry = result.Config!.Runners[0];
        Assert.Equal(declared, entry.DeclaresUntrustedJobs);
        Assert.Equal(declared, AgentInfo.Details(entry.Executor, entry.DeclaresUntrustedJobs).Features!.UntrustedJobs);
        Assert.Contains($"\"untrusted_jobs\":{(declared ? "true" : "false")}", Relais.Protocol.ProtocolJson.Write(new Relais.Protocol.Requests.JobRequest { Info = AgentInfo.Details(entry.Executor, entry.DeclaresUntrustedJobs) }), StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_untrusted_takes_only_true_or_false()
    {
        var result = AgentConfigLoader.Load("runner.yml", "runners:\n  - url: http://x\n    token: glrt-a\n    allow_untrusted: sometimes\n", "/tmp");
        Assert.Null(result.Config);
        Assert.StartsWith("runner.yml:4:22: ", result.Error, StringComparison.Ordinal);
    }
}
