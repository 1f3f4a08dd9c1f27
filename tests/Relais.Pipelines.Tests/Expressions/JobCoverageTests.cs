using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

/// <summary>A job's coverage read from its log as GitLab reads it: the last line that yields a number wins.</summary>
public sealed class JobCoverageTests
{
    private static string? Read(string pattern, params string[] lines)
    {
        var coverage = new JobCoverage(pattern);
        foreach (var line in lines)
        {
            coverage.Read(line);
        }

        return coverage.Value;
    }

    [Fact]
    public void The_last_matching_line_wins() =>
        Assert.Equal("91.2", Read(@"/Coverage: \d+\.\d+%/", "Coverage: 50.0%", "noise", "Coverage: 91.2%", "done"));

    [Fact]
    public void The_number_comes_from_the_last_capture_group_of_the_last_match_on_the_line() =>
        Assert.Equal("75", Read(@"/(lines|branches): (\d+)%/", "lines: 80% branches: 75%"));

    [Fact]
    public void A_match_without_a_number_leaves_the_earlier_value() =>
        Assert.Equal("60", Read("/Total.*/", "Total 60%", "Total n/a"));

    [Fact]
    public void No_match_or_no_pattern_reads_nothing()
    {
        Assert.Null(Read(@"/Coverage: \d+%/", "nothing here"));
        Assert.Null(Read(null!, "Coverage: 10%"));
    }

    [Fact]
    public void Flags_apply() => Assert.Equal("42", Read(@"/coverage: \d+/i", "COVERAGE: 42"));
}
