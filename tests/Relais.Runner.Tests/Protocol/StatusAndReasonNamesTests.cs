using System.Text.Json;
using Relais.Protocol;
using Relais.Protocol.Requests;

namespace Relais.Runner.Tests.Protocol;

/// <summary>
/// Statuses and failure reasons through their wire strings: every status has GitLab's name and comes back from it;
/// every failure reason survives the runner's JSON and the coordinator's normalisation unchanged.
/// </summary>
public sealed class StatusAndReasonNamesTests
{
    public static TheoryData<CiStatus> Statuses => [.. Enum.GetValues<CiStatus>()];

    public static TheoryData<string> Reasons => [.. FailureReasons.Known];

    [Fact]
    public void The_wire_names_are_gitlabs_twelve_in_order()
    {
        Assert.Equal(
            ["created", "waiting_for_resource", "preparing", "pending", "running", "success", "failed", "canceling", "canceled", "skipped", "manual", "scheduled"],
            CiStatusNames.All.Select(s => s.ToGitLab()));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Every_status_round_trips_through_its_wire_name(CiStatus status)
    {
        Assert.True(CiStatusNames.TryParse(status.ToGitLab(), out var back));
        Assert.Equal(status, back);
        Assert.Equal(status, CiStatusNames.FromStored(status.ToGitLab()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Success")]
    [InlineData("WaitingForResource")]
    [InlineData("passed")]
    [InlineData("5")]
    public void Anything_but_a_wire_name_is_not_a_status(string? name)
    {
        Assert.False(CiStatusNames.TryParse(name, out _));
        Assert.Throws<InvalidDataException>(() => CiStatusNames.FromStored(name ?? ""));
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Every_failure_reason_round_trips_through_the_runners_json(string reason)
    {
        var json = ProtocolJson.Write(new UpdateJobRequest { Token = "t", State = JobStates.Failed, FailureReason = reason });
        var sent = JsonDocument.Parse(json).RootElement.GetProperty("failure_reason").GetString();

        Assert.Equal(reason, FailureReasons.Normalize(sent));
    }

    [Fact]
    public void The_advertised_reasons_are_the_known_ones_but_image_pull_failure_and_all_differ()
    {
        Assert.Equal(FailureReasons.All.Count, FailureReasons.All.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal([FailureReasons.ImagePullFailure], FailureReasons.Known.Except(FailureReasons.All));
        Assert.All(FailureReasons.Aliases.Values.SelectMany(v => v), split => Assert.Contains(split, FailureReasons.All));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Script_Failure")]
    [InlineData("no_such_reason")]
    public void An_unknown_reason_is_recorded_as_unknown_failure(string? reason) =>
        Assert.Equal(FailureReasons.UnknownFailure, FailureReasons.Normalize(reason));
}
