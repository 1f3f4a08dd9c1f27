namespace Relais.Server.Api;

/// <summary>A test case in <c>GET /pipelines/:id/test_report</c>.</summary>
public sealed record TestCaseView(string Status, string Name, string? Classname, double ExecutionTime, string? SystemOutput, string? StackTrace);

/// <summary>One job's tests (GitLab names a suite after its job); <see cref="SuiteError"/> says why its report could not be read.</summary>
public sealed record TestSuiteView(
    string Name, double TotalTime, int TotalCount, int SuccessCount, int FailedCount, int SkippedCount, int ErrorCount, string? SuiteError, IReadOnlyList<TestCaseView> TestCases);

/// <summary><c>GET /projects/:id/pipelines/:pipeline_id/test_report</c>: the pipeline's JUnit reports, counted.</summary>
public sealed record TestReportView(
    double TotalTime, int TotalCount, int SuccessCount, int FailedCount, int SkippedCount, int ErrorCount, IReadOnlyList<TestSuiteView> TestSuites);

/// <summary>The counts of every suite together, in <c>test_report_summary</c>.</summary>
public sealed record TestTotalView(double Time, int Count, int Success, int Failed, int Skipped, int Error, string? SuiteError);

/// <summary>A suite in <c>test_report_summary</c>: its counts and the jobs whose reports it is made of.</summary>
public sealed record TestSuiteSummaryView(
    string Name, double TotalTime, int TotalCount, int SuccessCount, int FailedCount, int SkippedCount, int ErrorCount, IReadOnlyList<long> BuildIds, string? SuiteError);

/// <summary><c>GET /projects/:id/pipelines/:pipeline_id/test_report_summary</c>.</summary>
public sealed record TestReportSummaryView(TestTotalView Total, IReadOnlyList<TestSuiteSummaryView> TestSuites);
