using System.Text.RegularExpressions;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// A tag name regex of the cleanup rules, applied as GitLab applies it: the pattern is placed between <c>\A</c> and
/// <c>\z</c> as written (so <c>v.*</c> matches whole names only; an unparenthesised alternation <c>a|b</c> becomes
/// <c>\Aa|b\z</c>, as in GitLab) and run in linear time like RE2 — .NET's non-backtracking engine, which also refuses
/// what RE2 refuses (look-arounds, back-references). No pattern matches nothing (only the empty name).
/// </summary>
public sealed class TagNamePattern
{
    private readonly Regex _regex;

    private TagNamePattern(Regex regex) => _regex = regex;

    public static readonly TagNamePattern Nothing = new(Build(""));

    /// <summary>The pattern, or null with the reason it is not a valid pattern.</summary>
    public static (TagNamePattern? Pattern, string? Problem) Parse(string? pattern)
    {
        try
        {
            return (new TagNamePattern(Build(pattern ?? "")), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
        catch (NotSupportedException e)
        {
            return (null, e.Message);
        }
    }

    public bool Matches(string name) => _regex.IsMatch(name);

    private static Regex Build(string pattern) =>
        new(@"\A" + pattern + @"\z", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
