using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.GitOps.Policies;

/// <summary>
/// A semver range as Flux's <c>ImagePolicy</c> and Flux v1's <c>semver:</c> filter write them (Masterminds' syntax):
/// alternatives separated by <c>||</c>, each a list of terms that must all hold (separated by spaces or commas):
/// <c>=</c>, <c>!=</c>, <c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>, <c>&lt;=</c>, <c>~1.2</c> (patch updates), <c>^1.2</c> (no new
/// major, or minor below 1.0), wildcards <c>1.2.x</c>/<c>*</c>, partial versions (<c>1.2</c> is <c>1.2.x</c>) and hyphen
/// ranges <c>1.2 - 1.4.5</c>. A pre-release version satisfies a term only when that term names a pre-release itself.
/// </summary>
public sealed partial class SemverRange
{
    private readonly IReadOnlyList<IReadOnlyList<Term>> _alternatives;

    private SemverRange(IReadOnlyList<IReadOnlyList<Term>> alternatives) => _alternatives = alternatives;

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> when it is not a range.</summary>
    public static SemverRange? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var alternatives = new List<IReadOnlyList<Term>>();
        foreach (var alternative in text.Split("||"))
        {
            var terms = new List<Term>();
            var normalized = Hyphen().Replace(OperatorSpace().Replace(alternative.Trim(), "$1"), ">=$1 <=$2");
            foreach (var word in normalized.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (Parse(word) is not { } parsed)
                {
                    error = $"invalid semver range \"{text}\": \"{word}\" is not a version constraint";
                    return null;
                }

                terms.AddRange(parsed);
            }

            if (terms.Count == 0)
            {
                error = $"invalid semver range \"{text}\": an alternative is empty";
                return null;
            }

            alternatives.Add(terms);
        }

        error = null;
        return new SemverRange(alternatives);
    }

    public bool Contains(SemanticVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return _alternatives.Any(terms => terms.All(t => t.Holds(version)));
    }

    /// <summary>One comparison; <see cref="AllowsPrerelease"/> when its version named a pre-release.</summary>
    private sealed record Term(string Op, SemanticVersion Version, bool AllowsPrerelease)
    {
        public bool Holds(SemanticVersion v)
        {
            if (v.IsPrerelease && !AllowsPrerelease)
            {
                return false;
            }

            var c = v.CompareTo(Version);
            return Op switch
            {
                "=" => c == 0,
                "!=" => c != 0,
                ">" => c > 0,
                "<" => c < 0,
                ">=" => c >= 0,
                _ => c <= 0,
            };
        }
    }

    /// <summary>The comparisons one written constraint stands for; null when it is not one.</summary>
    private static List<Term>? Parse(string word)
    {
        var m = Constraint().Match(word);
        if (!m.Success)
        {
            return null;
        }

        var op = m.Groups["op"].Value;
        var parts = new[] { m.Groups["major"], m.Groups["minor"], m.Groups["patch"] }
            .Select(g => g.Success && g.Value is not ("x" or "X" or "*") ? long.Parse(g.Value, CultureInfo.InvariantCulture) : (long?)null)
            .ToArray();
        var pre = m.Groups["pre"].Value;
        var given = parts.TakeWhile(p => p is not null).Count(); // how many leading parts are numbers
        if (m.Groups["major"].Value is "x" or "X" or "*")
        {
            return op is "" or "=" or ">=" or "<=" or "~" or "^" ? [new Term(">=", new SemanticVersion(0, 0, 0, ""), false)] : null;
        }

        var low = new SemanticVersion(parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, pre);
        var allowsPre = pre.Length > 0;
        Term Lower(string o) => new(o, low, allowsPre);
        Term Upper(SemanticVersion bound) => new("<", bound with { Prerelease = "" }, allowsPre);
        SemanticVersion Next(int part) => part switch
        {
            0 => new SemanticVersion(low.Major + 1, 0, 0, ""),
            1 => new SemanticVersion(low.Major, low.Minor + 1, 0, ""),
            _ => new SemanticVersion(low.Major, low.Minor, low.Patch + 1, ""),
        };

        var partial = given < 3;
        return op switch
        {
            "" or "=" when partial => [Lower(">="), Upper(Next(given - 1))],
            "" or "=" => [Lower("=")],
            "!=" when partial => null,
            "!=" => [Lower("!=")],
            ">" when partial => [new Term(">=", Next(given - 1), allowsPre)],
            "<=" when partial => [Upper(Next(given - 1))],
            ">" or "<" or ">=" or "<=" => [Lower(op)],
            "~" or "~>" => [Lower(">="), Upper(Next(given >= 2 ? 1 : 0))],
            _ => [Lower(">="), Upper(CaretBound(low, given))],
        };
    }

    /// <summary><c>^</c>: below the next major, or for 0.x below the next minor, or for 0.0.x below the next patch.</summary>
    private static SemanticVersion CaretBound(SemanticVersion v, int given) =>
        v.Major > 0 || given == 1 ? new SemanticVersion(v.Major + 1, 0, 0, "")
        : v.Minor > 0 || given == 2 ? new SemanticVersion(0, v.Minor + 1, 0, "")
        : new SemanticVersion(0, 0, v.Patch + 1, "");

    [GeneratedRegex(@"^(?<op>=|!=|>=|<=|>|<|~>|~|\^)?v?(?<major>[0-9]+|[xX*])(\.(?<minor>[0-9]+|[xX*]))?(\.(?<patch>[0-9]+|[xX*]))?(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+[0-9A-Za-z-.]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"(=|!=|>=|<=|>|<|~>|~|\^)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex OperatorSpace();

    [GeneratedRegex(@"(\S+)\s+-\s+(\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex Hyphen();
}
