using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// A regular expression as GitLab's expressions use it: written <c>/pattern/flags</c> with RE2 syntax and
/// the flags i, m, s, U, compiled once to a .NET <see cref="Regex"/> and cached by its text.
/// Matching is "is there a match anywhere", which is all GitLab asks (<c>scan(text).present?</c>).
/// </summary>
internal sealed partial class CiRegex
{
    private const int MaxCacheEntries = 10_000;

    /// <summary>Bounds the backtracking engine; past it the match is redone with the linear-time engine.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private static readonly ConcurrentDictionary<string, Compiled> Cache = new(StringComparer.Ordinal);

    private readonly Regex _regex;
    private Regex? _linear;

    private CiRegex(string body, string flags, Regex regex)
    {
        Body = body;
        Flags = flags;
        _regex = regex;
    }

    /// <summary>The pattern between the slashes.</summary>
    public string Body { get; }

    /// <summary>The flags after the closing slash (any of <c>ismU</c>).</summary>
    public string Flags { get; }

    /// <summary>How GitLab identifies the compiled pattern (<c>(?flags)body</c>); two patterns are equal when this is.</summary>
    public string Source => Flags.Length == 0 ? Body : $"(?{Flags}){Body}";

    public override string ToString() => $"/{Body}/{Flags}";

    /// <summary>
    /// Reads Ruby's regexp syntax the way <c>Gitlab::UntrustedRegexp::RubySyntax</c> does: a line of the
    /// text that is <c>/…/</c> followed only by flags. Used for pattern literals (after <c>\/</c> became
    /// <c>/</c>) and for variable values on the right of <c>=~</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CiRegex? regex, [NotNullWhen(false)] out string? error)
    {
        var compiled = Cache.TryGetValue(text, out var cached) ? cached : Compile(text);
        regex = compiled.Regex;
        error = compiled.Error;
        return regex is not null;
    }

    /// <summary>Whether the pattern matches anywhere in <paramref name="input"/>.</summary>
    public bool IsMatch(string input)
    {
        try
        {
            return _regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            // RE2 never backtracks; the linear-time engine gives the same answer without the blow-up.
            try
            {
                _linear ??= new Regex(_regex.ToString(), _regex.Options | RegexOptions.NonBacktracking);
                return _linear.IsMatch(input);
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }
    }

    private static Compiled Compile(string text)
    {
        var compiled = CompileUncached(text);
        if (Cache.Count >= MaxCacheEntries)
        {
            Cache.Clear();
        }

        Cache[text] = compiled;
        return compiled;
    }

    private static Compiled CompileUncached(string text)
    {
        var syntax = RubySyntax().Match(text);
        if (!syntax.Success)
        {
            return new(null, "not a `/pattern/flags` regular expression");
        }

        var body = syntax.Groups["body"].Value;
        var flags = syntax.Groups["flags"].Value;
        if (!Re2Translator.TryTranslate(body, flags.Contains('m', StringComparison.Ordinal), out var translated, out var error))
        {
            return new(null, error);
        }

        var options = RegexOptions.CultureInvariant;
        options |= flags.Contains('i', StringComparison.Ordinal) ? RegexOptions.IgnoreCase : RegexOptions.None;
        options |= flags.Contains('s', StringComparison.Ordinal) ? RegexOptions.Singleline : RegexOptions.None;
        try
        {
            return new(new CiRegex(body, flags, new Regex(translated, options, MatchTimeout)), null);
        }
        catch (ArgumentException e)
        {
            return new(null, e.Message);
        }
    }

    /// <summary>
    /// Ruby's <c>^/(?&lt;regexp&gt;.*)/(?&lt;flags&gt;[ismU]*)$</c>: in Ruby <c>^</c> and <c>$</c> are line
    /// anchors, hence Multiline here; the greedy body runs to the last slash followed only by flags.
    /// </summary>
    [GeneratedRegex("^/(?<body>.*)/(?<flags>[ismU]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RubySyntax();

    private sealed record Compiled(CiRegex? Regex, string? Error);
}
