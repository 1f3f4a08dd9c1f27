using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// A regular expression as GitLab uses it for user patterns (<c>rules:if</c>, <c>only/except</c> refs,
/// <c>spec:inputs</c> <c>regex</c>): RE2 syntax with the flags i, m, s, U, translated by
/// <see cref="Re2Translator"/> and run on .NET's linear-time engine (<see cref="RegexOptions.NonBacktracking"/>),
/// so a pattern like <c>(a+)+$</c> costs time linear in the text, never a backtracking blow-up or a timeout.
/// Compiled once and cached by its text. Matching is "is there a match anywhere", which is all GitLab
/// asks (<c>scan(text).present?</c>).
/// <para>RE2's <c>\b</c>/<c>\B</c> see ASCII word characters only, .NET's Unicode ones. When a pattern with a
/// word boundary treats every non-ASCII character alike, its input is read with each non-ASCII character
/// replaced by one non-word character, which makes the two agree exactly; any other pattern with a word
/// boundary is rejected (see <see cref="Re2Translation.TellsNonAsciiApart"/>).</para>
/// </summary>
internal sealed partial class CiRegex
{
    /// <summary>The longest pattern accepted (RE2 caps a compiled program's memory too).</summary>
    public const int MaxPatternLength = 4_096;

    private const int MaxCacheEntries = 4_096;

    /// <summary>Past this estimated size the engine is built (and its size limit checked) when the pattern is read.</summary>
    private const int EagerBuildSize = 2_000;

    /// <summary>A non-ASCII character that is no word character for .NET (<c>×</c>), standing for every non-ASCII one.</summary>
    private const char NonAsciiStandIn = '\u00D7';

    private static readonly BoundedCache<Compiled> Cache = new(MaxCacheEntries);

    private readonly string _pattern;
    private readonly RegexOptions _options;
    private readonly bool _asciiWordBoundaries;
    private Regex? _engine;

    private CiRegex(string body, string flags, string pattern, RegexOptions options, bool asciiWordBoundaries)
    {
        Body = body;
        Flags = flags;
        _pattern = pattern;
        _options = options;
        _asciiWordBoundaries = asciiWordBoundaries;
    }

    /// <summary>The pattern between the slashes.</summary>
    public string Body { get; }

    /// <summary>The flags after the closing slash (any of <c>ismU</c>).</summary>
    public string Flags { get; }

    /// <summary>How GitLab identifies the compiled pattern (<c>(?flags)body</c>); two patterns are equal when this is.</summary>
    public string Source => Flags.Length == 0 ? Body : $"(?{Flags}){Body}";

    /// <summary>The linear-time engine, built on first use (building costs about a millisecond).</summary>
    private Regex Engine => _engine ??= new Regex(_pattern, _options);

    public override string ToString() => $"/{Body}/{Flags}";

    /// <summary>
    /// Reads Ruby's regexp syntax the way <c>Gitlab::UntrustedRegexp::RubySyntax</c> does: a line of the
    /// text that is <c>/…/</c> followed only by flags. Used for pattern literals (after <c>\/</c> became
    /// <c>/</c>) and for variable values on the right of <c>=~</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CiRegex? regex, [NotNullWhen(false)] out string? error)
    {
        if (!Cache.TryGet(text, out var compiled))
        {
            compiled = Parse(text);
            Cache.Add(text, compiled);
        }

        regex = compiled.Regex;
        error = compiled.Error;
        return regex is not null;
    }

    /// <summary>A pattern given without slashes (like <c>spec:inputs</c> <c>regex</c>), with <paramref name="flags"/>.</summary>
    public static bool TryCreate(string body, string flags, [NotNullWhen(true)] out CiRegex? regex, [NotNullWhen(false)] out string? error)
    {
        var key = $"\u0001{flags}\u0001{body}";
        if (!Cache.TryGet(key, out var compiled))
        {
            compiled = Create(body, flags);
            Cache.Add(key, compiled);
        }

        regex = compiled.Regex;
        error = compiled.Error;
        return regex is not null;
    }

    /// <summary>Whether the pattern matches anywhere in <paramref name="input"/>.</summary>
    public bool IsMatch(string input) => Engine.IsMatch(_asciiWordBoundaries ? WithNonAsciiAlike(input) : input);

    /// <summary>
    /// What Ruby's <c>scan(input).flatten.last</c> gives: the last capture group of the last match (the whole
    /// match when the pattern has no groups); null when nothing matches or that group took no part.
    /// </summary>
    public string? LastScanned(string input)
    {
        Match? last = null;
        for (var m = Engine.Match(_asciiWordBoundaries ? WithNonAsciiAlike(input) : input); m.Success; m = m.NextMatch())
        {
            last = m;
        }

        if (last is null)
        {
            return null;
        }

        var group = last.Groups.Count > 1 ? last.Groups[last.Groups.Count - 1] : last.Groups[0];
        return group.Success ? input.Substring(group.Index, group.Length) : null;
    }

    /// <summary><paramref name="input"/> with every non-ASCII character replaced by <see cref="NonAsciiStandIn"/>.</summary>
    private static string WithNonAsciiAlike(string input) =>
        !input.AsSpan().ContainsAnyInRange('\u0080', '\uFFFF')
            ? input
            : string.Create(input.Length, input, static (span, text) =>
            {
                for (var i = 0; i < text.Length; i++)
                {
                    span[i] = text[i] < 0x80 ? text[i] : NonAsciiStandIn;
                }
            });

    private static Compiled Parse(string text)
    {
        var syntax = RubySyntax().Match(text);
        return syntax.Success
            ? Create(syntax.Groups["body"].Value, syntax.Groups["flags"].Value)
            : new(null, "not a `/pattern/flags` regular expression");
    }

    private static Compiled Create(string body, string flags)
    {
        if (body.Length > MaxPatternLength)
        {
            return new(null, $"the pattern is longer than {MaxPatternLength} characters");
        }

        var ignoreCase = flags.Contains('i', StringComparison.Ordinal);
        var translation = Re2Translator.Translate(body, flags.Contains('m', StringComparison.Ordinal), out var error);
        if (translation is null)
        {
            return new(null, error);
        }

        if (translation.UsesWordBoundary && translation.TellsNonAsciiApart(ignoreCase))
        {
            return new(null, "`\\b`/`\\B` in a pattern that also names non-ASCII characters, Unicode classes, or `k` under `i` "
                + "is not supported: RE2's word boundaries are ASCII-only, and the linear-time engine cannot keep them so there");
        }

        var options = RegexOptions.CultureInvariant;
        options |= ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None;
        options |= flags.Contains('s', StringComparison.Ordinal) ? RegexOptions.Singleline : RegexOptions.None;
        var regex = new CiRegex(body, flags, translation.Pattern, options | RegexOptions.NonBacktracking, translation.UsesWordBoundary);
        try
        {
            // .NET's own syntax check (the parser is shared by both engines and cheap; building the linear one is not).
            _ = new Regex(translation.Pattern, options);
            if (EstimatedSize(translation.Pattern) > EagerBuildSize)
            {
                _ = regex.Engine;
            }
        }
        catch (ArgumentException e)
        {
            return new(null, e.Message);
        }
        catch (NotSupportedException e)
        {
            return new(null, $"the pattern is too large for linear-time matching ({e.Message})");
        }

        return new(regex, null);
    }

    /// <summary>
    /// An upper bound of the linear engine's size for <paramref name="pattern"/>: its length times every
    /// counted repetition's count (the engine unrolls <c>{n,m}</c>), capped.
    /// </summary>
    private static long EstimatedSize(string pattern)
    {
        long size = pattern.Length;
        foreach (Match repetition in CountedRepetition().Matches(pattern))
        {
            var count = repetition.Groups["max"].Success ? repetition.Groups["max"].Value : repetition.Groups["min"].Value;
            size *= Math.Max(1, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
            if (size > EagerBuildSize)
            {
                break;
            }
        }

        return size;
    }

    /// <summary>
    /// Ruby's <c>^/(?&lt;regexp&gt;.*)/(?&lt;flags&gt;[ismU]*)$</c>: in Ruby <c>^</c> and <c>$</c> are line
    /// anchors, hence Multiline here; the greedy body runs to the last slash followed only by flags.
    /// </summary>
    [GeneratedRegex("^/(?<body>.*)/(?<flags>[ismU]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RubySyntax();

    /// <summary><c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c> in a translated pattern (at most 4 digits: RE2's limit is 1000).</summary>
    [GeneratedRegex(@"\{(?<min>[0-9]{1,4})(?:,(?<max>[0-9]{1,4})?)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex CountedRepetition();

    private sealed record Compiled(CiRegex? Regex, string? Error);
}
