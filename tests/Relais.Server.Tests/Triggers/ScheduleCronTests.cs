using Relais.Server.Pipelines;

namespace Relais.Server.Tests.Triggers;

/// <summary>Cron expressions and time zones of pipeline schedules (<see cref="ScheduleCron"/>, over Cronos).</summary>
public sealed class ScheduleCronTests
{
    [Theory]
    [InlineData("every day", "UTC", "cron")]
    [InlineData("61 * * * *", "UTC", "cron")]
    [InlineData("* * * * * *", "UTC", "cron")]
    [InlineData("0 1 * * *", "Mars/Olympus", "cron_timezone")]
    [InlineData("0 1 * * *", "", "cron_timezone")]
    public void What_cannot_be_read_names_its_field(string cron, string zone, string field)
    {
        var (parsed, bad) = ScheduleCron.Parse(cron, zone);

        Assert.Null(parsed);
        Assert.Equal(field, bad);
    }

    [Fact]
    public void The_next_run_follows_the_zones_daylight_saving_time()
    {
        var (cron, _) = ScheduleCron.Parse("30 8 * * 1-5", "America/New_York");

        // Friday 6 March 2026 08:30 EST is 13:30 UTC; on Monday 9 March (EDT, after the switch on the 8th) it is 12:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 13, 30, 0, TimeSpan.Zero), cron!.NextAfter(new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 12, 30, 0, TimeSpan.Zero), cron.NextAfter(new DateTimeOffset(2026, 3, 6, 13, 30, 0, TimeSpan.Zero)));
    }
}
