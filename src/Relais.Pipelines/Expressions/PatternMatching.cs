namespace Relais.Pipelines.Expressions;

/// <summary>
/// GitLab's <c>=~</c> and <c>!~</c>. The left side is read as text (null becomes ""). The right side:
/// <list type="bullet">
/// <item>null (or false): <c>=~</c> is false and <c>!~</c> is true.</item>
/// <item>a pattern: whether it matches anywhere in the text.</item>
/// <item>a string (a variable or a quoted string) that reads as <c>/pattern/flags</c>: used as that pattern.</item>
/// <item>any other string: GitLab ends up calling Ruby's <c>String#scan</c> with the left text, so the
/// answer is whether the right string <em>contains</em> the left text (<c>"abcde" =~ "bcd"</c> is false,
/// <c>"bcd" =~ "abcde"</c> is true).</item>
/// </list>
/// </summary>
internal static class PatternMatching
{
    public static bool Matches(ExpressionValue text, ExpressionValue pattern)
    {
        if (!pattern.IsTruthy)
        {
            return false;
        }

        var input = text.AsText;
        return pattern.Kind switch
        {
            ValueKind.Regex => pattern.Regex!.IsMatch(input),
            ValueKind.String => MatchesString(input, pattern.Text!),

            // `=~ true` makes GitLab fail internally (true is no pattern); nothing matches here.
            _ => false,
        };
    }

    public static bool DoesNotMatch(ExpressionValue text, ExpressionValue pattern) =>
        !pattern.IsTruthy || !Matches(text, pattern);

    private static bool MatchesString(string input, string pattern) =>
        CiRegex.TryParse(pattern.Replace(@"\/", "/", StringComparison.Ordinal), out var regex, out _)
            ? regex.IsMatch(input)
            : pattern.Contains(input, StringComparison.Ordinal);
}
