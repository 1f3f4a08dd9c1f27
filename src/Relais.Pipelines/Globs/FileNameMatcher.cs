namespace Relais.Pipelines.Globs;

/// <summary>
/// Ruby's <c>File.fnmatch?</c> with <c>FNM_PATHNAME</c> (and optionally <c>FNM_DOTMATCH</c>) on one
/// brace-free pattern, over spans, without allocating. The pattern is matched one directory segment at a
/// time. A segment that starts with <c>**/</c> may swallow whole directories: when the rest fails, the
/// most recent <c>**/</c> retries one directory further down (only that one, as in Ruby). Within a
/// segment, <c>*</c> retries one character further on failure; <c>?</c>, <c>[…]</c> and literals take one
/// character; <c>\</c> makes the next character literal. A <c>**</c> not followed by <c>/</c> is a <c>*</c>.
/// </summary>
internal static class FileNameMatcher
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> path, bool dotMatch)
    {
        int p = 0, s = 0;
        int globstarPattern = -1, globstarPath = -1;
        while (true)
        {
            if (IsGlobstar(pattern, p))
            {
                do
                {
                    p += 3;
                }
                while (IsGlobstar(pattern, p));

                globstarPattern = p;
                globstarPath = s;
            }

            if (MatchSegment(pattern, ref p, path, ref s, dotMatch))
            {
                while (s < path.Length && path[s] != '/')
                {
                    s++;
                }

                if (p < pattern.Length && s < path.Length)
                {
                    p++;
                    s++;
                    continue;
                }

                if (p >= pattern.Length && s >= path.Length)
                {
                    return true;
                }
            }

            // Let the last `**/` take one more directory, unless that directory is hidden and dots must be explicit.
            if (globstarPattern < 0 || (!dotMatch && globstarPath < path.Length && path[globstarPath] == '.'))
            {
                return false;
            }

            var nextSlash = path[globstarPath..].IndexOf('/');
            if (nextSlash < 0)
            {
                return false;
            }

            globstarPath += nextSlash + 1;
            p = globstarPattern;
            s = globstarPath;
        }
    }

    private static bool IsGlobstar(ReadOnlySpan<char> pattern, int p) =>
        p + 2 < pattern.Length && pattern[p] == '*' && pattern[p + 1] == '*' && pattern[p + 2] == '/';

    /// <summary>The end of a segment: the end of the text or a <c>/</c>.</summary>
    private static bool AtEnd(ReadOnlySpan<char> text, int i) => i >= text.Length || text[i] == '/';

    /// <summary>Skips a backslash: where the escaped character is.</summary>
    private static int Unescape(ReadOnlySpan<char> pattern, int p) => p < pattern.Length && pattern[p] == '\\' ? p + 1 : p;

    /// <summary>
    /// Matches the segment at <paramref name="p"/> against the path segment at <paramref name="s"/>.
    /// On success <paramref name="p"/> is at the pattern segment's end; <paramref name="s"/> may be short of
    /// the path segment's end (after a trailing <c>*</c>).
    /// </summary>
    private static bool MatchSegment(ReadOnlySpan<char> pattern, ref int p, ReadOnlySpan<char> path, ref int s, bool dotMatch)
    {
        if (!dotMatch && s < path.Length && path[s] == '.')
        {
            var first = Unescape(pattern, p);
            if (first >= pattern.Length || pattern[first] != '.')
            {
                return false;
            }
        }

        int starPattern = -1, starPath = -1;
        while (true)
        {
            var c = p < pattern.Length ? pattern[p] : '\0';
            if (c == '*')
            {
                while (p < pattern.Length && pattern[p] == '*')
                {
                    p++;
                }

                if (AtEnd(pattern, Unescape(pattern, p)))
                {
                    p = Unescape(pattern, p);
                    return true;
                }

                if (AtEnd(path, s))
                {
                    return false;
                }

                starPattern = p;
                starPath = s;
                continue;
            }

            if (c == '?')
            {
                if (AtEnd(path, s))
                {
                    return false;
                }

                p++;
                s += Width(path, s);
                continue;
            }

            if (c == '[')
            {
                if (AtEnd(path, s))
                {
                    return false;
                }

                var afterBracket = BracketMatcher.Match(pattern, p + 1, path, s);
                if (afterBracket >= 0)
                {
                    p = afterBracket;
                    s += Width(path, s);
                    continue;
                }
            }
            else
            {
                p = Unescape(pattern, p);
                if (AtEnd(path, s))
                {
                    return AtEnd(pattern, p);
                }

                var width = Width(pattern, p);
                if (!AtEnd(pattern, p) && path[s..].StartsWith(pattern.Slice(p, width), StringComparison.Ordinal))
                {
                    p += width;
                    s += width;
                    continue;
                }
            }

            // Failed here: let the last `*` take one more character.
            if (starPattern < 0)
            {
                return false;
            }

            p = starPattern;
            starPath += Width(path, starPath);
            s = starPath;
        }
    }

    /// <summary>1, or 2 for a surrogate pair: Ruby works on whole characters.</summary>
    internal static int Width(ReadOnlySpan<char> text, int i) =>
        i + 1 < text.Length && char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
}
