using System.Text;
using System.Text.RegularExpressions;

namespace Relais.GitOps.Policies;

/// <summary>
/// An <c>ImagePolicy</c>'s <c>filterTags</c>: tags must match <c>pattern</c>, and the policy then orders the value
/// <c>extract</c> makes from the match (Go's template syntax, as Flux: <c>$name</c>, <c>${name}</c>, <c>$1</c>, <c>$$</c>);
/// without <c>extract</c> the tag itself. Patterns are .NET regular expressions with a match timeout, so lookaheads such as
/// Flux v1 tutorials' <c>^((?!tmp).)*$</c> work (Go's regexp, and so Flux, rejects them).
/// </summary>
public sealed class TagFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex? _pattern;
    private readonly string? _extract;

    private TagFilter(Regex? pattern, string? extract)
    {
        _pattern = pattern;
        _extract = extract;
    }

    /// <summary>No filter: every tag, as it is.</summary>
    public static TagFilter All { get; } = new(null, null);

    /// <summary>Builds the filter; null with <paramref name="error"/> when the pattern is not a regular expression.</summary>
    public static TagFilter? TryCreate(string? pattern, string? extract, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(pattern))
        {
            return string.IsNullOrEmpty(extract) ? All : Fail("filterTags.extract needs filterTags.pattern", out error);
        }

        try
        {
            return new TagFilter(new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout), string.IsNullOrEmpty(extract) ? null : extract);
        }
        catch (ArgumentException e)
        {
            return Fail($"filterTags.pattern \"{pattern}\" is not a regular expression: {e.Message}", out error);
        }
    }

    /// <summary>The value the policy orders for <paramref name="tag"/>, or null when the tag is filtered out (or its match timed out).</summary>
    public string? Apply(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (_pattern is null)
        {
            return tag;
        }

        try
        {
            var m = _pattern.Match(tag);
            return !m.Success ? null : _extract is null ? tag : Expand(_extract, m);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static TagFilter? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    /// <summary>Go's <c>Regexp.Expand</c>: <c>$name</c> takes the longest run of letters, digits and <c>_</c>; an unknown group is empty.</summary>
    private static string Expand(string template, Match m)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                sb.Append(template[i]);
                continue;
            }

            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            string name;
            if (template[i + 1] == '{' && template.IndexOf('}', i + 2) is var close and > 0)
            {
                name = template[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < template.Length && (char.IsAsciiLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }

                name = template[(i + 1)..end];
                i = end - 1;
                if (name.Length == 0)
                {
                    sb.Append('$');
                    continue;
                }
            }

            var group = m.Groups[name];
            sb.Append(group.Success ? group.Value : "");
        }

        return sb.ToString();
    }
}
