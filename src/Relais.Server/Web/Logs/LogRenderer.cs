using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Logs;

/// <summary>
/// Turns a job log into HTML, one <c>&lt;div class="l"&gt;</c> per line, every character of the log HTML-encoded.
/// Understands SGR colours (<see cref="AnsiStyle"/>; other escapes are dropped), a carriage return inside a line
/// (what follows replaces what came before, as a terminal shows progress bars), and GitLab's section markers
/// <c>section_start:TIME:NAME[collapsed=true]\r\e[0K</c> / <c>section_end:TIME:NAME</c>: a section's first line
/// becomes its header (with a toggle), the lines inside carry the ids of their open sections in <c>data-s</c>, and
/// its end records its duration for the header. The output is flat (no nesting), so it can be streamed line by
/// line. The renderer keeps state (style, open sections) between calls: one instance per log view or stream.
/// </summary>
internal sealed partial class LogRenderer
{
    private readonly List<(string Id, string Name, long Started)> _open = [];
    private readonly StringBuilder _line = new();
    private AnsiStyle _style = AnsiStyle.Plain;

    /// <summary>
    /// The sections still open, as <c>ID:NAME:START,…</c> (ids, names and times hold no <c>:</c> or <c>,</c>): the page
    /// hands it to the live view, which continues with <see cref="Resume"/>, so streamed lines stay in their section.
    /// </summary>
    public string OpenSections => string.Join(',', _open.Select(o => o.Id + ":" + o.Name + ":" + o.Started.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A renderer that continues a log whose rendered part left <paramref name="openSections"/> open (<see cref="OpenSections"/>).</summary>
    public static LogRenderer Resume(string? openSections)
    {
        var renderer = new LogRenderer();
        foreach (var item in (openSections ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Split(':') is [var id, var name, var started] && SectionId().IsMatch(id) && SectionName().IsMatch(name))
            {
                renderer._open.Add((id, name, Seconds(started)));
            }
        }

        return renderer;
    }

    /// <summary>
    /// Renders <paramref name="bytes"/> (which start at byte <paramref name="offset"/> of the log and should end at a
    /// line end; a final partial line is rendered as a line) into <paramref name="into"/>.
    /// </summary>
    public void Render(ReadOnlySpan<byte> bytes, long offset, StringBuilder into)
    {
        ArgumentNullException.ThrowIfNull(into);
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            RenderLine(Encoding.UTF8.GetString(line), offset, into);
            if (end < 0)
            {
                break;
            }

            offset += end + 1;
            bytes = bytes[(end + 1)..];
        }
    }

    private void RenderLine(string text, long offset, StringBuilder into)
    {
        _line.Clear();
        string? header = null;
        var collapsed = false;
        var spanOpen = false;
        var atMarkerPosition = true;
        var i = 0;
        while (i < text.Length)
        {
            if (atMarkerPosition && text.AsSpan(i).StartsWith("section_") && Marker().Match(text, i) is { Success: true } m && m.Index == i)
            {
                CloseSpan(ref spanOpen);
                if (m.Groups["kind"].Value == "start")
                {
                    header = "s" + offset.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture);
                    collapsed = m.Groups["options"].Value.Contains("collapsed=true", StringComparison.Ordinal);
                    _open.Add((header, m.Groups["name"].Value, Seconds(m.Groups["time"].Value)));
                }
                else
                {
                    End(m.Groups["name"].Value, Seconds(m.Groups["time"].Value), into);
                }

                i += m.Length;
                continue;
            }

            var c = text[i];
            if (c == '\x1b')
            {
                i = Escape(text, i, ref spanOpen);
                atMarkerPosition = true;
                continue;
            }

            if (c == '\r')
            {
                _line.Clear();
                spanOpen = false;
                i++;
                atMarkerPosition = true;
                continue;
            }

            var next = text.AsSpan(i).IndexOfAny('\x1b', '\r');
            var run = next < 0 ? text.Length - i : next;
            if (!spanOpen && !_style.IsPlain)
            {
                _style.WriteOpen(_line);
                spanOpen = true;
            }

            HtmlBuilder.Encode(_line, text.Substring(i, run));
            i += run;
            atMarkerPosition = false;
        }

        CloseSpan(ref spanOpen);
        if (header is null && _line.Length == 0 && text.Length > 0 && text.Contains("section_end:", StringComparison.Ordinal))
        {
            return; // a line that only closed a section shows nothing
        }

        WriteLine(into, header, collapsed);
    }

    private void WriteLine(StringBuilder into, string? header, bool collapsed)
    {
        var parents = header is null ? _open.Count : _open.Count - 1;
        into.Append(header is null ? "<div class=\"l\"" : "<div class=\"l sh\"");
        if (parents > 0)
        {
            into.Append(" data-s=\"");
            for (var k = 0; k < parents; k++)
            {
                into.Append(k == 0 ? "" : " ").Append(_open[k].Id);
            }

            into.Append('"');
        }

        if (header is not null)
        {
            into.Append(" data-sec=\"").Append(header).Append('"');
            if (collapsed)
            {
                into.Append(" data-collapsed=\"true\"");
            }

            into.Append("><button type=\"button\" class=\"sec-toggle\" aria-expanded=\"true\" aria-label=\"Collapse or expand this section\">▾</button>");
            into.Append(_line).Append("<span class=\"sec-time\"></span></div>");
            return;
        }

        into.Append('>').Append(_line).Append("</div>");
    }

    /// <summary>Closes the innermost open section named <paramref name="name"/> (and any left open inside it).</summary>
    private void End(string name, long at, StringBuilder into)
    {
        var k = _open.FindLastIndex(x => x.Name == name);
        if (k < 0)
        {
            return;
        }

        var (id, _, started) = _open[k];
        _open.RemoveRange(k, _open.Count - k);
        var duration = Format.Duration(started > 0 && at >= started ? TimeSpan.FromSeconds(at - started) : null);
        into.Append("<div class=\"sec-end\" data-for=\"").Append(id).Append("\" data-duration=\"").Append(duration).Append("\" hidden></div>");
    }

    /// <summary>Consumes one escape sequence at <paramref name="i"/>; applies it if it is SGR. Returns the index after it.</summary>
    private int Escape(string text, int i, ref bool spanOpen)
    {
        if (i + 1 >= text.Length || text[i + 1] != '[')
        {
            return Math.Min(text.Length, i + 2);
        }

        var j = i + 2;
        while (j < text.Length && text[j] is < '@' or > '~')
        {
            j++;
        }

        if (j < text.Length && text[j] == 'm')
        {
            var style = _style.Apply(text.AsSpan(i + 2, j - i - 2));
            if (style != _style)
            {
                CloseSpan(ref spanOpen);
                _style = style;
            }
        }

        return Math.Min(text.Length, j + 1);
    }

    private void CloseSpan(ref bool spanOpen)
    {
        if (spanOpen)
        {
            _line.Append("</span>");
            spanOpen = false;
        }
    }

    private static long Seconds(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    [GeneratedRegex(@"^s[0-9]+-[0-9]+$")]
    private static partial Regex SectionId();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex SectionName();

    [GeneratedRegex(@"\Gsection_(?<kind>start|end):(?<time>\d+):(?<name>[A-Za-z0-9_.\-]+)(?<options>\[[^\]]*\])?")]
    private static partial Regex Marker();
}
