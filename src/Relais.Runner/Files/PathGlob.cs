namespace Relais.Runner.Files;

/// <summary>
/// A path pattern as <c>artifacts:paths</c>, <c>artifacts:exclude</c> and <c>cache:paths</c> use them (doublestar
/// syntax), matched against <c>/</c>-separated paths relative to the project directory: <c>*</c> and <c>?</c> within
/// one segment, <c>[abc]</c>/<c>[a-z]</c>/<c>[!x]</c> classes, <c>{a,b}</c> alternatives, <c>\</c> escapes, and
/// <c>**</c> as a whole segment for any number of directories (zero included).
/// </summary>
public sealed class PathGlob
{
    private readonly string[][] _alternatives;

    /// <summary>Parses <paramref name="pattern"/> (relative; a leading <c>./</c> and trailing <c>/</c> are ignored).</summary>
    public PathGlob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = Normalize(pattern);
        _alternatives = ExpandBraces(Pattern).Select(p => p.Split('/', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        IsLiteral = Pattern.IndexOfAny(['*', '?', '[', '{', '\\']) < 0;
    }

    /// <summary>The normalized pattern.</summary>
    public string Pattern { get; }

    /// <summary>Whether the pattern has no glob syntax (it names one path).</summary>
    public bool IsLiteral { get; }

    /// <summary>The directory every match lies under: the leading segments without glob syntax (empty for the root).</summary>
    public string BaseDirectory
    {
        get
        {
            if (_alternatives.Length != 1)
            {
                return "";
            }

            var literal = _alternatives[0].TakeWhile(s => s.IndexOfAny(['*', '?', '[', '\\']) < 0).ToArray();
            return string.Join('/', IsLiteral ? literal.SkipLast(1) : literal);
        }
    }

    /// <summary>Whether a pattern can only match paths of at most this many segments (null: unbounded, with <c>**</c>).</summary>
    public int? MaxDepth => _alternatives.Any(a => a.Contains("**")) ? null : _alternatives.Max(a => a.Length);

    /// <summary>Normalizes a path or pattern: no empty or <c>./</c> segments, no trailing slash (a backslash stays an escape).</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/').Where(s => s.Length > 0 && s != ".");
        var normalized = string.Join('/', segments);
        return path.StartsWith('/') ? "/" + normalized : normalized;
    }

    /// <summary>Whether <paramref name="relativePath"/> (with <c>/</c> separators) matches.</summary>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return _alternatives.Any(p => MatchSegments(p, 0, segments, 0));
    }

    private static bool MatchSegments(string[] pattern, int p, string[] path, int s)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == "**")
            {
                for (var skip = s; skip <= path.Length; skip++)
                {
                    if (MatchSegments(pattern, p + 1, path, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (s >= path.Length || !MatchSegment(pattern[p], 0, path[s], 0))
            {
                return false;
            }

            p++;
            s++;
        }

        return s == path.Length;
    }

    private static bool MatchSegment(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    for (var rest = n; rest <= name.Length; rest++)
                    {
                        if (MatchSegment(pattern, p + 1, name, rest))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (n >= name.Length)
                    {
                        return false;
                    }

                    break;
                case '[':
                    var end = pattern.IndexOf(']', p + 2);
                    if (end < 0 || n >= name.Length)
                    {
                        return end < 0 && n < name.Length && name[n] == '[' && MatchSegment(pattern, p + 1, name, n + 1);
                    }

                    if (!InClass(pattern.AsSpan(p + 1, end - p - 1), name[n]))
                    {
                        return false;
                    }

                    p = end;
                    break;
                case '\\' when p + 1 < pattern.Length:
                    p++;
                    if (n >= name.Length || name[n] != pattern[p])
                    {
                        return false;
                    }

                    break;
                default:
                    if (n >= name.Length || name[n] != pattern[p])
                    {
                        return false;
                    }

                    break;
            }

            p++;
            n++;
        }

        return n == name.Length;
    }

    private static bool InClass(ReadOnlySpan<char> spec, char c)
    {
        var negate = spec.Length > 0 && spec[0] is '!' or '^';
        if (negate)
        {
            spec = spec[1..];
        }

        var found = false;
        for (var i = 0; i < spec.Length; i++)
        {
            if (i + 2 < spec.Length && spec[i + 1] == '-')
            {
                found |= c >= spec[i] && c <= spec[i + 2];
                i += 2;
            }
            else
            {
                found |= c == spec[i];
            }
        }

        return found != negate;
    }

    private static IEnumerable<string> ExpandBraces(string pattern)
    {
        var open = pattern.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : pattern.IndexOf('}', open);
        if (close < 0)
        {
            return [pattern];
        }

        var head = pattern[..open];
        var tail = pattern[(close + 1)..];
        return pattern[(open + 1)..close].Split(',').SelectMany(choice => ExpandBraces(head + choice + tail));
    }
}
