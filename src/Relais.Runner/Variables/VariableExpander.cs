using System.Text;

namespace Relais.Runner.Variables;

/// <summary>
/// Expands <c>$NAME</c> and <c>${NAME}</c> the way the runner expands cache keys, artifact paths and variable values
/// (Go's <c>os.Expand</c>): names are letters, digits and <c>_</c>; unknown names become empty; <c>$$</c> is a
/// literal <c>$</c>; a <c>$</c> not followed by a name stays; <c>${}</c> and an unclosed <c>${</c> are dropped.
/// </summary>
public static class VariableExpander
{
    /// <summary>Expands <paramref name="value"/>, looking names up with <paramref name="lookup"/>.</summary>
    public static string Expand(string value, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(lookup);
        var dollar = value.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length + 16);
        var start = 0;
        for (var i = dollar; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 >= value.Length)
            {
                continue;
            }

            result.Append(value, start, i - start);
            var (name, width) = ReadName(value.AsSpan(i + 1));
            if (name is null && width == 0)
            {
                result.Append('$');
            }
            else if (name is not null)
            {
                result.Append(name == "$" ? "$" : lookup(name) ?? "");
            }

            i += width;
            start = i + 1;
        }

        result.Append(value, start, value.Length - start);
        return result.ToString();
    }

    private static (string? Name, int Width) ReadName(ReadOnlySpan<char> s)
    {
        if (s[0] == '{')
        {
            if (s.Length > 2 && IsSpecial(s[1]) && s[2] == '}')
            {
                return (s[1..2].ToString(), 3);
            }

            var close = s.IndexOf('}');
            return close switch
            {
                < 0 => (null, 1),
                1 => (null, 2),
                _ => (s[1..close].ToString(), close + 1),
            };
        }

        if (IsSpecial(s[0]))
        {
            return (s[..1].ToString(), 1);
        }

        var length = 0;
        while (length < s.Length && (char.IsAsciiLetterOrDigit(s[length]) || s[length] == '_'))
        {
            length++;
        }

        return length == 0 ? (null, 0) : (s[..length].ToString(), length);
    }

    private static bool IsSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' || char.IsAsciiDigit(c);
}
