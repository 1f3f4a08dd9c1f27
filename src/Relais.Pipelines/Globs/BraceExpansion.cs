namespace Relais.Pipelines.Globs;

/// <summary>
/// Ruby's brace expansion for <c>FNM_EXTGLOB</c>: <c>{a,b}</c> groups (nested ones included) become one
/// pattern per alternative; <c>\</c> escapes a brace or comma. A <c>{</c> that is never closed makes the
/// whole pattern match nothing, as in Ruby; a stray <c>}</c> is literal.
/// </summary>
internal static class BraceExpansion
{
    public const int MaxAlternatives = 4096;

    /// <summary>The patterns <paramref name="pattern"/> stands for, or null when there are more than <see cref="MaxAlternatives"/>.</summary>
    public static List<string>? Expand(string pattern)
    {
        var done = new List<string>();
        var pending = new Stack<string>();
        pending.Push(pattern);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!FindGroup(current, out var open, out var close))
            {
                if (open < 0)
                {
                    done.Add(current);
                }

                continue;
            }

            var alternatives = Alternatives(current, open, close);
            for (var i = alternatives.Count - 1; i >= 0; i--)
            {
                pending.Push(string.Concat(current.AsSpan(0, open), alternatives[i], current.AsSpan(close + 1)));
            }

            if (done.Count + pending.Count > MaxAlternatives)
            {
                return null;
            }
        }

        return done;
    }

    /// <summary>The first top-level <c>{</c> and its matching <c>}</c>; <paramref name="open"/> is -1 when there is no <c>{</c>.</summary>
    private static bool FindGroup(string pattern, out int open, out int close)
    {
        open = close = -1;
        var depth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '{' && depth++ == 0)
            {
                open = i;
            }
            else if (c == '}' && open >= 0 && --depth == 0)
            {
                close = i;
                return true;
            }
            else if (c == '\\')
            {
                i++;
            }
        }

        return false;
    }

    /// <summary>The top-level comma-separated parts between <paramref name="open"/> and <paramref name="close"/>, escapes kept.</summary>
    private static List<string> Alternatives(string pattern, int open, int close)
    {
        var parts = new List<string>();
        var start = open + 1;
        var depth = 0;
        for (var i = open + 1; i < close; i++)
        {
            switch (pattern[i])
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    break;
                case '\\':
                    i++;
                    break;
                case ',' when depth == 0:
                    parts.Add(pattern[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(pattern[start..close]);
        return parts;
    }
}
