using System.Text.RegularExpressions;

namespace Relais.Cli.Run;

/// <summary>
/// A job log line as a person reads it on a screen: GitLab's <c>section_start</c>/<c>section_end</c>
/// markers removed (the log keeps them for the web UI), and every ANSI sequence removed too when the
/// output is not a terminal.
/// </summary>
internal static partial class LogDisplay
{
    public static string ForScreen(string line, bool terminal)
    {
        if (line.Contains("section_", StringComparison.Ordinal))
        {
            line = SectionMarker().Replace(line, "");
        }

        return terminal || !line.Contains('\u001b', StringComparison.Ordinal) ? line : Ansi().Replace(line, "");
    }

    [GeneratedRegex(@"section_(start|end):\d+:[A-Za-z0-9_.\-]+(\[[^\]]*\])?\r?(\u001b\[0K)?")]
    private static partial Regex SectionMarker();

    [GeneratedRegex(@"\u001b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
