using System.Text;

namespace Relais.Pipelines.Variables;

/// <summary>
/// GitLab's (Rails) reference syntax: <c>$NAME</c>, <c>${NAME}</c>, <c>%NAME%</c> with NAME =
/// <c>[A-Za-z_][A-Za-z0-9_]*</c>, scanned left to right like a <c>gsub</c>; in the variables dialect
/// <c>$$</c> and <c>%%</c> are consumed as a unit and kept.
/// </summary>
internal static class GitLabReferenceSyntax
{
    /// <summary>Replaces each reference by <paramref name="resolve"/>(name, as written), or handles it per <paramref name="keepUndefined"/> when that returns null.</summary>
    public static string Expand(string text, bool escapes, bool keepUndefined, Func<string, string, string?> resolve)
    {
        if (!text.Contains('$', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        StringBuilder? result = null;
        var copied = 0;
        for (var i = 0; i < text.Length;)
        {
            var length = Match(text, i, escapes, out var name);
            if (length == 0)
            {
                i++;
                continue;
            }

            if (name is not null)
            {
                var written = text.Substring(i, length);
                var replacement = resolve(name, written) ?? (keepUndefined ? written : "");
                result ??= new StringBuilder(text.Length + 16);
                result.Append(text, copied, i - copied).Append(replacement);
                copied = i + length;
            }

            i += length;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The names referenced, in order, with repeats (GitLab's <c>depends_on</c>).</summary>
    public static List<string> References(string text, bool escapes)
    {
        var names = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var length = Match(text, i, escapes, out var name);
            if (name is not null)
            {
                names.Add(name);
            }

            i += Math.Max(length, 1);
        }

        return names;
    }

    /// <summary>
    /// The length of the reference or escape at <paramref name="i"/> (0 when there is none); <paramref name="name"/>
    /// is the variable's name, or null for an escape (kept as written).
    /// </summary>
    private static int Match(string text, int i, bool escapes, out string? name)
    {
        name = null;
        var c = text[i];
        if (c is not ('$' or '%') || i + 1 >= text.Length)
        {
            return 0;
        }

        var next = text[i + 1];
        if (escapes && next == c)
        {
            return 2;
        }

        if (c == '%')
        {
            var end = NameEnd(text, i + 1);
            return end > i + 1 && end < text.Length && text[end] == '%' ? Named(text, i + 1, end, out name) + 2 : 0;
        }

        if (next == '{')
        {
            var end = NameEnd(text, i + 2);
            if (end >= text.Length || text[end] != '}')
            {
                return 0;
            }

            // `${}` matches in the variables dialect (GitLab's `\${\g<key>?}`) and is kept as written.
            return end > i + 2 ? Named(text, i + 2, end, out name) + 3 : escapes ? 3 : 0;
        }

        var nameEnd = NameEnd(text, i + 1);
        return nameEnd > i + 1 ? Named(text, i + 1, nameEnd, out name) + 1 : 0;
    }

    private static int Named(string text, int start, int end, out string name)
    {
        name = text[start..end];
        return end - start;
    }

    /// <summary>Where a name starting at <paramref name="start"/> ends (== start when there is none).</summary>
    private static int NameEnd(string text, int start)
    {
        if (start >= text.Length || !(char.IsAsciiLetter(text[start]) || text[start] == '_'))
        {
            return start;
        }

        var end = start + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end;
    }
}
