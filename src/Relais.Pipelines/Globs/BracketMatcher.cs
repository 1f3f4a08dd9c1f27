namespace Relais.Pipelines.Globs;

/// <summary>
/// Ruby's <c>[…]</c> in <c>fnmatch</c>: a set of characters and ranges (<c>a-z</c>), negated by a leading
/// <c>!</c> or <c>^</c>, with <c>\</c> escaping the next character. A <c>]</c> right after <c>[</c> closes an
/// empty set (which matches nothing); an unclosed <c>[</c> matches nothing either.
/// </summary>
internal static class BracketMatcher
{
    /// <summary>
    /// Matches the path character at <paramref name="s"/> against the set starting at <paramref name="p"/> (just
    /// after <c>[</c>). Returns the index after the closing <c>]</c>, or -1 when it does not match.
    /// </summary>
    public static int Match(ReadOnlySpan<char> pattern, int p, ReadOnlySpan<char> path, int s)
    {
        var negated = p < pattern.Length && pattern[p] is '!' or '^';
        if (negated)
        {
            p++;
        }

        var c = CodePoint(path, s);
        var matched = false;
        while (true)
        {
            if (p >= pattern.Length)
            {
                return -1;
            }

            if (pattern[p] == ']')
            {
                break;
            }

            if (!ReadMember(pattern, ref p, out var low))
            {
                return -1;
            }

            var high = low;
            if (p < pattern.Length && pattern[p] == '-' && (p + 1 >= pattern.Length || pattern[p + 1] != ']'))
            {
                p++;
                if (!ReadMember(pattern, ref p, out high))
                {
                    return -1;
                }
            }

            matched |= c == low || c == high || (c >= low && c <= high);
        }

        return matched == negated ? -1 : p + 1;
    }

    /// <summary>One member character (after an optional backslash); false at the end of the pattern.</summary>
    private static bool ReadMember(ReadOnlySpan<char> pattern, ref int p, out int codePoint)
    {
        codePoint = 0;
        if (p < pattern.Length && pattern[p] == '\\')
        {
            p++;
        }

        if (p >= pattern.Length)
        {
            return false;
        }

        codePoint = CodePoint(pattern, p);
        p += FileNameMatcher.Width(pattern, p);
        return p < pattern.Length;
    }

    private static int CodePoint(ReadOnlySpan<char> text, int i) =>
        FileNameMatcher.Width(text, i) == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
}
