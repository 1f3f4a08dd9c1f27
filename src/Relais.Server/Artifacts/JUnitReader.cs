using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Relais.Server.Artifacts;

/// <summary>One test case of a JUnit report: GitLab's status (<c>success</c>, <c>failed</c>, <c>error</c>, <c>skipped</c>) and what it printed.</summary>
internal sealed record JUnitCase(string Status, string Name, string? ClassName, double ExecutionTime, string? SystemOutput);

/// <summary>
/// Reads JUnit XML (what <c>artifacts:reports:junit</c> uploads, possibly several documents one after another, as the
/// runner's gzip of several files gives) into test cases, as GitLab reads them: a <c>failure</c> child makes the case
/// failed, <c>error</c> errored, <c>skipped</c> skipped, and that element's text (or <c>message</c>) is its output. No
/// DTDs, no external entities; unreadable XML throws <see cref="XmlException"/>.
/// </summary>
internal static partial class JUnitReader
{
    public static IReadOnlyList<JUnitCase> Read(string xml)
    {
        // Concatenated documents each start with their own declaration: drop them and read the rest as fragments.
        var body = Declaration().Replace(xml, "");
        var settings = new XmlReaderSettings
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        var cases = new List<JUnitCase>();
        using var reader = XmlReader.Create(new StringReader(body), settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "testcase")
            {
                cases.Add(ReadCase(reader));
            }
        }

        return cases;
    }

    private static JUnitCase ReadCase(XmlReader reader)
    {
        var name = reader.GetAttribute("name") ?? "";
        var className = reader.GetAttribute("classname");
        var time = double.TryParse(reader.GetAttribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && double.IsFinite(t) ? t : 0;
        var status = "success";
        string? output = null;
        if (reader.IsEmptyElement)
        {
            return new JUnitCase(status, name, className, time, null);
        }

        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1 || status != "success")
            {
                continue;
            }

            status = reader.LocalName switch
            {
                "failure" => "failed",
                "error" => "error",
                "skipped" => "skipped",
                _ => status,
            };
            if (status != "success")
            {
                var message = reader.GetAttribute("message");
                var text = reader.IsEmptyElement ? "" : ReadText(reader, reader.Depth);
                output = text.Length > 0 ? text : message;
            }
        }

        return new JUnitCase(status, name, className, time, output);
    }

    /// <summary>The text inside the current element (its end tag is consumed).</summary>
    private static string ReadText(XmlReader reader, int depth)
    {
        var text = new StringBuilder();
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                text.Append(reader.Value);
            }
        }

        return text.ToString().Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>")]
    private static partial Regex Declaration();
}
