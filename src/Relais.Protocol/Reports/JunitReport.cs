using System.Xml;

namespace Relais.Protocol.Reports;

/// <summary>Counts of a JUnit XML report, per test case as GitLab counts them.</summary>
/// <param name="Tests">All test cases.</param>
/// <param name="Failures">Cases with a <c>failure</c> element.</param>
/// <param name="Errors">Cases with an <c>error</c> element.</param>
/// <param name="Skipped">Cases with a <c>skipped</c> element.</param>
/// <param name="Error">Why the report could not be read, or null.</param>
public readonly record struct JunitSummary(int Tests, int Failures, int Errors, int Skipped, string? Error = null)
{
    /// <summary>Cases that passed.</summary>
    public int Passed => Tests - Failures - Errors - Skipped;

    /// <summary>Adds two summaries (several report files).</summary>
    public static JunitSummary operator +(JunitSummary a, JunitSummary b) =>
        new(a.Tests + b.Tests, a.Failures + b.Failures, a.Errors + b.Errors, a.Skipped + b.Skipped, a.Error ?? b.Error);

    /// <summary>Adds two summaries.</summary>
    public static JunitSummary Add(JunitSummary a, JunitSummary b) => a + b;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Tests} tests, {Failures} failures, {Errors} errors, {Skipped} skipped";
}

/// <summary>Reads JUnit XML reports (<c>artifacts:reports:junit</c>) into a <see cref="JunitSummary"/>.</summary>
public static class JunitReport
{
    /// <summary>
    /// Counts the <c>testcase</c> elements of a report (under <c>testsuites</c>/<c>testsuite</c>, nested or not) and
    /// classifies each by its first <c>failure</c>, <c>error</c> or <c>skipped</c> child. DTDs are refused.
    /// </summary>
    public static JunitSummary Summarize(Stream xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            string? status = null;
            var caseDepth = -1;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "testcase")
                {
                    Count(status, caseDepth);
                    tests++;
                    status = null;
                    caseDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                }
                else if (reader.NodeType == XmlNodeType.Element && caseDepth >= 0 && reader.Depth == caseDepth + 1
                    && status is null && reader.LocalName is "failure" or "error" or "skipped")
                {
                    status = reader.LocalName;
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "testcase")
                {
                    Count(status, caseDepth);
                    status = null;
                    caseDepth = -1;
                }
            }
        }
        catch (XmlException e)
        {
            return new JunitSummary(tests, failures, errors, skipped, e.Message);
        }

        return new JunitSummary(tests, failures, errors, skipped);

        void Count(string? s, int depth)
        {
            if (depth < 0)
            {
                return;
            }

            switch (s)
            {
                case "failure": failures++; break;
                case "error": errors++; break;
                case "skipped": skipped++; break;
            }
        }
    }
}
