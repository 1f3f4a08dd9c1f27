using System.Diagnostics.CodeAnalysis;

namespace Relais.Pipelines.Globs;

/// <summary>
/// A glob compiled once and matched against many repository paths (relative, <c>/</c>-separated, no
/// leading <c>./</c>), with GitLab's semantics for the given <see cref="GlobDialect"/>. Matching does not
/// allocate; instances are immutable and thread-safe.
/// </summary>
public sealed class Glob
{
    private readonly string[] _alternatives;
    private readonly bool[] _literal;
    private readonly WildcardPathMatcher? _wildcard;

    private Glob(string pattern, GlobDialect dialect, string[] alternatives, WildcardPathMatcher? wildcard)
    {
        Pattern = pattern;
        Dialect = dialect;
        _alternatives = alternatives;
        _literal = [.. alternatives.Select(a => a.AsSpan().IndexOfAny("*?[\\") < 0)];
        _wildcard = wildcard;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    public GlobDialect Dialect { get; }

    /// <summary>
    /// Compiles <paramref name="pattern"/>. Every pattern is valid (like Ruby, malformed brackets or braces
    /// simply match nothing); the only failure is a brace pattern standing for more than 4096 alternatives.
    /// </summary>
    public static bool TryCompile(string pattern, GlobDialect dialect, [NotNullWhen(true)] out Glob? glob, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        glob = null;
        if (dialect == GlobDialect.IncludeLocal)
        {
            glob = new Glob(pattern, dialect, [], new WildcardPathMatcher(pattern));
            error = null;
            return true;
        }

        var alternatives = BraceExpansion.Expand(pattern);
        if (alternatives is null)
        {
            error = $"the glob `{pattern}` stands for more than {BraceExpansion.MaxAlternatives} alternatives";
            return false;
        }

        glob = new Glob(pattern, dialect, [.. alternatives.Distinct(StringComparer.Ordinal)], null);
        error = null;
        return true;
    }

    /// <summary>Compiles <paramref name="pattern"/>, throwing <see cref="ArgumentException"/> where <see cref="TryCompile"/> fails.</summary>
    public static Glob Compile(string pattern, GlobDialect dialect = GlobDialect.FileMatch) =>
        TryCompile(pattern, dialect, out var glob, out var error) ? glob : throw new ArgumentException(error, nameof(pattern));

    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return IsMatch(path.AsSpan());
    }

    public bool IsMatch(ReadOnlySpan<char> path)
    {
        if (_wildcard is not null)
        {
            return _wildcard.IsMatch(path);
        }

        for (var i = 0; i < _alternatives.Length; i++)
        {
            var matched = _literal[i]
                ? path.SequenceEqual(_alternatives[i])
                : FileNameMatcher.IsMatch(_alternatives[i], path, dotMatch: true);
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The paths that match, in their order.</summary>
    public IEnumerable<string> Filter(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Where(IsMatch);
    }

    /// <summary>Whether any of <paramref name="paths"/> matches.</summary>
    public bool MatchesAny(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Any(IsMatch);
    }

    public override string ToString() => Pattern;
}
