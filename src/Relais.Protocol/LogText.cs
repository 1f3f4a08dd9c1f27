using System.Globalization;
using System.Text;

namespace Relais.Protocol;

/// <summary>
/// The one place user text (job names, refs, user names, paths, messages that may quote them) is made safe
/// for a log line: control characters (newlines, carriage returns, escape, C1 controls), Unicode line and
/// paragraph separators and bidirectional overrides are written as visible escapes (<c>\n</c>, <c>\x1B</c>,
/// <c>\u2028</c>), and a backslash as <c>\\</c>, so text can neither start a forged line nor drive the terminal.
/// </summary>
public static class LogText
{
    /// <summary><paramref name="text"/> as it may appear inside one log line ("" for null).</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAny(Unsafe))
        {
            return text ?? "";
        }

        var safe = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': safe.Append(@"\\"); break;
                case '\n': safe.Append(@"\n"); break;
                case '\r': safe.Append(@"\r"); break;
                case '\t': safe.Append(@"\t"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        safe.Append(c <= 0xFF ? @"\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : @"\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        safe.Append(c);
                    }

                    break;
            }
        }

        return safe.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(i => (char)i).Where(c => c == '\\' || IsUnsafe(c))]);
}
