using Relais.Protocol;

namespace Relais.Engine.Tests;

/// <summary>GitLab's composite rules, row by row. Jobs are <c>status</c> or <c>status!</c> (allow_failure).</summary>
public class CompositeStatusTests
{
    [Theory]
    [InlineData("success success", false, "success")]
    [InlineData("success skipped", false, "success")]
    [InlineData("skipped skipped", false, "skipped")]
    [InlineData("manual!", false, "skipped")]
    [InlineData("manual! success", false, "success")]
    [InlineData("manual success", false, "manual")]
    [InlineData("failed! success", false, "success")]
    [InlineData("canceled! success", false, "success")]
    [InlineData("failed success", false, "failed")]
    [InlineData("failed canceled", false, "failed")]
    [InlineData("canceled success skipped", false, "canceled")]
    [InlineData("created created", false, "created")]
    [InlineData("created failed!", false, "created")]
    [InlineData("pending created", false, "pending")]
    [InlineData("pending failed!", false, "pending")]
    [InlineData("pending success", false, "running")]
    [InlineData("running created", false, "running")]
    [InlineData("success created", false, "running")]
    [InlineData("failed created", false, "running")]
    [InlineData("waiting_for_resource success", false, "waiting_for_resource")]
    [InlineData("waiting_for_resource pending", false, "running")]
    [InlineData("manual created success", false, "manual")]
    [InlineData("scheduled success", false, "scheduled")]
    [InlineData("manual scheduled", false, "manual")]
    [InlineData("preparing", false, "preparing")]
    [InlineData("canceling canceled", false, "canceling")]
    [InlineData("canceling failed", false, "canceling")]
    [InlineData("success skipped", true, "skipped")]
    [InlineData("success manual!", true, "skipped")]
    [InlineData("success failed!", true, "success")]
    [InlineData("success running", true, "running")]
    [InlineData("success manual", true, "manual")]
    [InlineData("failed success", true, "failed")]
    public void Composite(string jobs, bool dag, string expected)
    {
        var parsed = jobs.Split(' ').Select(Parse);

        var status = CompositeStatus.Of(parsed, dag);

        Assert.Equal(expected, status?.ToGitLab());
    }

    [Fact]
    public void No_jobs_have_no_status() => Assert.Null(CompositeStatus.Of(Array.Empty<JobState>(), dag: false));

    private static (CiStatus, bool) Parse(string text)
    {
        var allow = text.EndsWith('!');
        var name = allow ? text[..^1] : text;
        var status = Enum.GetValues<CiStatus>().Single(s => s.ToGitLab() == name);
        return (status, allow);
    }
}
