using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// Splits an expression into tokens exactly where GitLab's lexer does: whitespace skipped, then the first
/// lexeme that matches, tried in GitLab's order (parentheses, variable, string, pattern, <c>null</c>,
/// <c>true</c>/<c>false</c>, <c>==</c>, <c>=~</c>, <c>!=</c>, <c>!~</c>, <c>&amp;&amp;</c>, <c>||</c>).
/// </summary>
internal static partial class ExpressionLexer
{
    /// <summary>
    /// GitLab's lexer makes at most 100 scans (<c>MAX_TOKENS = 100</c>) and raises "Too many tokens!" when
    /// the 100th scan found a token, even at the end of the text; so 99 tokens is the real maximum.
    /// </summary>
    public const int MaxTokens = 99;

    public static bool TryTokenize(string text, [NotNullWhen(true)] out List<ExpressionToken>? tokens, [NotNullWhen(false)] out ExpressionError? error)
    {
        var list = new List<ExpressionToken>();
        var position = 0;
        tokens = null;
        while (true)
        {
            position = SkipWhitespace(text, position);
            if (position >= text.Length)
            {
                tokens = list;
                error = null;
                return true;
            }

            if (list.Count == MaxTokens)
            {
                error = new($"expression is too long: GitLab allows at most {MaxTokens} tokens (values, operators and parentheses) in `{text}`", position + 1);
                return false;
            }

            if (!TryScan(text, position, out var token, out error))
            {
                return false;
            }

            list.Add(token);
            position += token.Text.Length;
        }
    }

    /// <summary>Ruby's <c>\s</c>: space, tab, newline, vertical tab, form feed, carriage return.</summary>
    private static int SkipWhitespace(string text, int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            position++;
        }

        return position;
    }

    private static bool TryScan(string text, int start, [NotNullWhen(true)] out ExpressionToken? token, [NotNullWhen(false)] out ExpressionError? error)
    {
        error = null;
        var rest = text.AsSpan(start);
        token = rest[0] switch
        {
            '(' => new(TokenKind.ParenOpen, start, "(", "("),
            ')' => new(TokenKind.ParenClose, start, ")", ")"),
            '$' => ScanVariable(text, start),
            '"' or '\'' => ScanString(text, start),
            '/' => ScanPattern(text, start, out error),
            _ => null,
        };
        if (token is not null || error is not null)
        {
            return token is not null;
        }

        token = ScanWord(text, start) ?? ScanOperator(text, start);
        if (token is null)
        {
            error = ExpressionErrors.UnknownLexeme(text, start);
        }

        return token is not null;
    }

    private static ExpressionToken? ScanVariable(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && IsWordChar(text[end]))
        {
            end++;
        }

        return end == start + 1 ? null : new(TokenKind.Variable, start, text[start..end], text[(start + 1)..end]);
    }

    /// <summary>GitLab's <c>"(.*?)"</c> or <c>'(.*?)'</c>: up to the next same quote, on the same line, no escapes.</summary>
    private static ExpressionToken? ScanString(string text, int start)
    {
        var quote = text[start];
        for (var end = start + 1; end < text.Length && text[end] != '\n'; end++)
        {
            if (text[end] == quote)
            {
                return new(TokenKind.String, start, text[start..(end + 1)], text[(start + 1)..end]);
            }
        }

        return null;
    }

    private static ExpressionToken? ScanPattern(string text, int start, out ExpressionError? error)
    {
        error = null;
        var match = PatternLexeme().Match(text, start);
        if (!match.Success)
        {
            return null;
        }

        // As GitLab does: `\/` becomes `/` before the pattern is read as Ruby regexp syntax.
        if (!CiRegex.TryParse(match.Value.Replace(@"\/", "/", StringComparison.Ordinal), out var regex, out var reason))
        {
            error = new($"invalid regular expression `{match.Value}` at column {start + 1} in `{text}`: {reason}", start + 1);
            return null;
        }

        return new(TokenKind.Pattern, start, match.Value, match.Value, regex);
    }

    /// <summary><c>null</c> (GitLab checks no word boundary after it) and <c>true</c>/<c>false</c> (it does).</summary>
    private static ExpressionToken? ScanWord(string text, int start)
    {
        var rest = text.AsSpan(start);
        if (rest.StartsWith("null"))
        {
            return new(TokenKind.Null, start, "null", "null");
        }

        // Newer GitLab lexes `true` and `false` (Lexeme::Boolean); they compare equal only to each
        // other, never to the strings "true"/"false" a variable holds.
        foreach (var word in (ReadOnlySpan<string>)["true", "false"])
        {
            if (rest.StartsWith(word) && (rest.Length == word.Length || !IsWordChar(rest[word.Length])))
            {
                return new(TokenKind.Boolean, start, word, word);
            }
        }

        return null;
    }

    private static ExpressionToken? ScanOperator(string text, int start)
    {
        if (start + 1 >= text.Length)
        {
            return null;
        }

        var kind = text.Substring(start, 2) switch
        {
            "==" => TokenKind.Equals,
            "=~" => TokenKind.Matches,
            "!=" => TokenKind.NotEquals,
            "!~" => TokenKind.NotMatches,
            "&&" => TokenKind.And,
            "||" => TokenKind.Or,
            _ => (TokenKind?)null,
        };
        return kind is { } k ? new(k, start, text.Substring(start, 2), text.Substring(start, 2)) : null;
    }

    /// <summary>Ruby's <c>\w</c>, which is ASCII only.</summary>
    internal static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>
    /// GitLab's pattern lexeme <c>/([^/]|\\/)+[^\\]/[ismU]*</c>: a slash, at least two characters, ending at
    /// the first slash not preceded by a backslash, then flags. So <c>/a/</c> (one character) is not a pattern.
    /// </summary>
    [GeneratedRegex(@"\G/(?:[^/]|\\/)+[^\\]/[ismU]*", RegexOptions.CultureInvariant)]
    private static partial Regex PatternLexeme();
}
