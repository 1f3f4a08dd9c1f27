using System.Text;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// RE2's ASCII-only character sets (<c>\d \s \w</c> and the POSIX classes), as the inside of a .NET
/// character class: escaped ranges, with negated sets spelled as the complement over U+0000–U+FFFF.
/// </summary>
internal static class AsciiSets
{
    private static readonly (char Low, char High)[] Digit = [('0', '9')];
    private static readonly (char Low, char High)[] Space = [('\t', '\n'), ('\f', '\r'), (' ', ' ')];
    private static readonly (char Low, char High)[] Word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

    private static readonly Dictionary<string, (char Low, char High)[]> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = [('0', '9'), ('A', 'Z'), ('a', 'z')],
        ["alpha"] = [('A', 'Z'), ('a', 'z')],
        ["ascii"] = [('\0', '\x7F')],
        ["blank"] = [('\t', '\t'), (' ', ' ')],
        ["cntrl"] = [('\0', '\x1F'), ('\x7F', '\x7F')],
        ["digit"] = Digit,
        ["graph"] = [('!', '~')],
        ["lower"] = [('a', 'z')],
        ["print"] = [(' ', '~')],
        ["punct"] = [('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        ["space"] = [('\t', '\r'), (' ', ' ')],
        ["upper"] = [('A', 'Z')],
        ["word"] = Word,
        ["xdigit"] = [('0', '9'), ('A', 'F'), ('a', 'f')],
    };

    /// <summary>The set for <c>\d \D \s \S \w \W</c>.</summary>
    public static string ForEscape(char escape)
    {
        var ranges = char.ToLowerInvariant(escape) switch
        {
            'd' => Digit,
            's' => Space,
            _ => Word,
        };
        return Render(ranges, negated: char.IsUpper(escape));
    }

    /// <summary>The set for <c>[:name:]</c>, or null when RE2 does not know the name.</summary>
    public static string? ForPosix(string name, bool negated) =>
        Posix.TryGetValue(name, out var ranges) ? Render(ranges, negated) : null;

    private static string Render((char Low, char High)[] ranges, bool negated)
    {
        var text = new StringBuilder();
        if (!negated)
        {
            foreach (var (low, high) in ranges)
            {
                Append(text, low, high);
            }

            return text.ToString();
        }

        var next = 0;
        foreach (var (low, high) in ranges)
        {
            if (low > next)
            {
                Append(text, (char)next, (char)(low - 1));
            }

            next = high + 1;
        }

        Append(text, (char)next, '\uFFFF');
        return text.ToString();
    }

    private static void Append(StringBuilder text, char low, char high)
    {
        text.Append($"\\u{(int)low:X4}");
        if (high != low)
        {
            text.Append($"-\\u{(int)high:X4}");
        }
    }
}
