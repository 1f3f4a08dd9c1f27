using System.Text;
using Relais.Protocol.Reports;

namespace Relais.Runner.Tests.Reports;

public class ReportTests
{
    [Fact]
    public void Dotenv_lines_become_variables_trimmed_with_quotes_kept_and_duplicates_replaced()
    {
        var result = DotenvReport.Parse("VERSION=1.2.3\n BUILD_ID = 42 \nQUOTED=\"a b\"\nEMPTY=\nVERSION=2\nURL=https://x/?a=b\n");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [new("VERSION", "2"), new("BUILD_ID", "42"), new("QUOTED", "\"a b\""), new("EMPTY", ""), new("URL", "https://x/?a=b")],
            result.Variables);
    }

    [Theory]
    [InlineData("A=1\n# comment\n", "Invalid Format")]
    [InlineData("A=1\n\nB=2", "Invalid Format")]
    [InlineData("MY-VAR=1", "Invalid variable name")]
    [InlineData("=1", "Invalid variable name")]
    public void Dotenv_rejects_the_whole_report_for_one_bad_line(string content, string error)
    {
        var result = DotenvReport.Parse(content);

        Assert.False(result.Succeeded);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Variables);
    }

    [Fact]
    public void Dotenv_enforces_size_and_count_limits()
    {
        var many = string.Join("\n", Enumerable.Range(0, 151).Select(i => $"V{i}=x"));
        Assert.Contains("more than 150 variables", DotenvReport.Parse(many).Error, StringComparison.Ordinal);
        Assert.Contains("Too Big", DotenvReport.Parse("A=" + new string('x', 5120)).Error, StringComparison.Ordinal);
        Assert.True(DotenvReport.Parse("A=1\nB=2\nC=3", new DotenvLimits(100, 3)).Succeeded);
        Assert.False(DotenvReport.Parse("A=1\nB=2\nC=3\nD=4", new DotenvLimits(100, 3)).Succeeded);
    }

    [Fact]
    public void Dotenv_reads_utf16_files_from_powershell()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("A=é\r\n")).ToArray();

        var result = DotenvReport.Parse(bytes);

        Assert.Equal([new("A", "é")], result.Variables);
    }

    [Fact]
    public void Junit_counts_cases_by_their_status()
    {
        const string xml = """
            <?xml version="1.0"?>
            <testsuites>
              <testsuite name="a">
                <testcase name="ok"/>
                <testcase name="ok2"><system-out>fine</system-out></testcase>
                <testcase name="bad"><failure message="x">trace</failure></testcase>
                <testcase name="boom"><error/></testcase>
              </testsuite>
              <testsuite name="b"><testcase name="skip"><skipped/></testcase></testsuite>
            </testsuites>
            """;

        var summary = JunitReport.Summarize(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(new JunitSummary(5, 1, 1, 1), summary);
        Assert.Equal(2, summary.Passed);
        Assert.Equal("5 tests, 1 failures, 1 errors, 1 skipped", summary.ToString());
    }

    [Fact]
    public void Junit_reports_broken_xml_and_refuses_dtds()
    {
        Assert.NotNull(JunitReport.Summarize(new MemoryStream("<testsuite><testcase>"u8.ToArray())).Error);
        Assert.NotNull(JunitReport.Summarize(new MemoryStream("<!DOCTYPE x [<!ENTITY a 'b'>]><testsuite/>"u8.ToArray())).Error);
    }
}
