using System.Text;

namespace Relais.Pipelines.Variables;

/// <summary>
/// gitlab-runner's expansion, which is Go's <c>os.Expand</c> with the runner's lookup: <c>$NAME</c>
/// (ASCII letters, digits, <c>_</c>), <c>${anything but }}</c>, one-character shell specials, and <c>$</c>
/// left alone when no name follows.
/// </summary>
internal static class RunnerReferenceSyntax
{
    public static string Expand(string text, bool keepUndefined, Func<string, string?> lookup)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 16);
        var copied = 0;
        for (var j = 0; j < text.Length - 1; j++)
        {
            if (text[j] != '$')
            {
                continue;
            }

            result.Append(text, copied, j - copied);
            var (name, width) = ShellName(text, j + 1);
            if (name.Length > 0)
            {
                result.Append(Value(name, lookup) ?? (keepUndefined ? text.Substring(j, width + 1) : ""));
            }
            else if (width == 0)
            {
                result.Append('$');
            }

            // A name of "" with a width is bad syntax (`${}`, an unclosed `${`): Go drops those characters.
            j += width;
            copied = j + 1;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The runner's lookup: <c>$$</c> is <c>$</c>, the other shell specials are empty, the rest are variables.</summary>
    private static string? Value(string name, Func<string, string?> lookup) => name switch
    {
        "$" => "$",
        "*" or "#" or "@" or "!" or "?" or "0" or "1" or "2" or "3" or "4" or "5" or "6" or "7" or "8" or "9" => "",
        _ => lookup(name),
    };

    /// <summary>Go's <c>getShellName</c>: the name after a <c>$</c> and how many characters it took.</summary>
    private static (string Name, int Width) ShellName(string text, int start)
    {
        if (text[start] == '{')
        {
            if (start + 2 < text.Length && IsSpecial(text[start + 1]) && text[start + 2] == '}')
            {
                return (text[(start + 1)..(start + 2)], 3);
            }

            var close = text.IndexOf('}', start + 1);
            return close < 0 ? ("", 1) : close == start + 1 ? ("", 2) : (text[(start + 1)..close], close - start + 1);
        }

        if (IsSpecial(text[start]))
        {
            return (text[start..(start + 1)], 1);
        }

        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return (text[start..end], end - start);
    }

    private static bool IsSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' or (>= '0' and <= '9');
}
