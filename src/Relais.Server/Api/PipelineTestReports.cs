using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Relais.Server.Artifacts;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A pipeline's unit test report as GitLab builds it: the <c>junit</c> artifacts of its current jobs, one suite per job
/// name (the parallel <c>N/M</c> suffix dropped, so a parallel job's parts make one suite). Each report is inflated up to
/// <see cref="MaxReportBytes"/>; a larger or unreadable one gives its suite a <c>suite_error</c> instead of tests.
/// </summary>
internal sealed partial class PipelineTestReports(IPipelineStore pipelineStore, IArtifactStore artifactStore, ArtifactBlobs blobs)
{
    /// <summary>The most of one job's JUnit XML read (decompressed), whatever the upload would inflate to.</summary>
    public const int MaxReportBytes = 30 * 1024 * 1024;

    /// <summary>The suites of <paramref name="pipelineId"/>, in job order.</summary>
    public async Task<IReadOnlyList<(TestSuiteView Suite, IReadOnlyList<long> JobIds)>> SuitesAsync(long pipelineId, CancellationToken cancel)
    {
        var jobs = await pipelineStore.CurrentJobsAsync(pipelineId, cancel);
        var reports = (await artifactStore.ArtifactsOfAsync([.. jobs.Select(j => j.Id)], cancel)).Where(a => a.FileType == "junit").ToDictionary(a => a.JobId);
        var suites = new List<SuiteParts>();
        foreach (var job in jobs.Where(j => reports.ContainsKey(j.Id)))
        {
            var name = ParallelSuffix().Replace(job.Name, "");
            var suite = suites.FirstOrDefault(s => s.Name == name);
            if (suite is null)
            {
                suite = new SuiteParts(name);
                suites.Add(suite);
            }

            suite.Jobs.Add(job.Id);
            var (cases, error) = await ReadAsync(reports[job.Id], cancel);
            suite.Cases.AddRange(cases);
            suite.Error ??= error;
        }

        return [.. suites.Select(s => (Suite(s.Name, s.Cases, s.Error), (IReadOnlyList<long>)s.Jobs))];
    }

    public static TestReportView Report(IReadOnlyList<TestSuiteView> suites) => new(
        Math.Round(suites.Sum(s => s.TotalTime), 3),
        suites.Sum(s => s.TotalCount),
        suites.Sum(s => s.SuccessCount),
        suites.Sum(s => s.FailedCount),
        suites.Sum(s => s.SkippedCount),
        suites.Sum(s => s.ErrorCount),
        suites);

    public static TestReportSummaryView Summary(IReadOnlyList<(TestSuiteView Suite, IReadOnlyList<long> JobIds)> suites)
    {
        var report = Report([.. suites.Select(s => s.Suite)]);
        var error = suites.Select(s => s.Suite.SuiteError).FirstOrDefault(e => e is not null);
        return new TestReportSummaryView(
            new TestTotalView(report.TotalTime, report.TotalCount, report.SuccessCount, report.FailedCount, report.SkippedCount, report.ErrorCount, error),
            [.. suites.Select(s => new TestSuiteSummaryView(
                s.Suite.Name, s.Suite.TotalTime, s.Suite.TotalCount, s.Suite.SuccessCount, s.Suite.FailedCount, s.Suite.SkippedCount, s.Suite.ErrorCount, s.JobIds, s.Suite.SuiteError))]);
    }

    private static TestSuiteView Suite(string name, List<JUnitCase> cases, string? error)
    {
        // GitLab shows the failures first.
        var ordered = cases.OrderBy(c => c.Status switch { "failed" => 0, "error" => 1, "success" => 2, _ => 3 }).ToList();
        return new TestSuiteView(
            name,
            Math.Round(cases.Sum(c => c.ExecutionTime), 3),
            cases.Count,
            cases.Count(c => c.Status == "success"),
            cases.Count(c => c.Status == "failed"),
            cases.Count(c => c.Status == "skipped"),
            cases.Count(c => c.Status == "error"),
            error,
            [.. ordered.Select(c => new TestCaseView(c.Status, c.Name, c.ClassName, c.ExecutionTime, c.SystemOutput, null))]);
    }

    private async Task<(IReadOnlyList<JUnitCase> Cases, string? Error)> ReadAsync(ArtifactRecord report, CancellationToken cancel)
    {
        byte[] bytes;
        try
        {
            await using var file = File.OpenRead(blobs.FullPath(report.BlobPath));
            bytes = await ReportReader.ReadAsync(file, report.FileFormat, MaxReportBytes, cancel);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ([], "JUnit XML parsing failed: the report could not be read");
        }

        if (bytes.Length > MaxReportBytes)
        {
            return ([], $"JUnit XML parsing failed: the report is larger than {MaxReportBytes / (1024 * 1024)} MiB");
        }

        try
        {
            return (JUnitReader.Read(Encoding.UTF8.GetString(bytes)), null);
        }
        catch (XmlException e)
        {
            return ([], "JUnit XML parsing failed: " + e.Message);
        }
    }

    /// <summary>A suite as it is gathered: its jobs, their cases and the first report error.</summary>
    private sealed class SuiteParts(string name)
    {
        public string Name => name;

        public List<long> Jobs { get; } = [];

        public List<JUnitCase> Cases { get; } = [];

        public string? Error { get; set; }
    }

    [GeneratedRegex(@"\s+\d+/\d+$")]
    private static partial Regex ParallelSuffix();
}
