namespace Relais.Pipelines.Expressions;

/// <summary>The syntax errors, worded for the person who wrote the expression: where, what, and the likely fix.</summary>
internal static class ExpressionErrors
{
    public static ExpressionError Empty() => new("expression is empty", 0);

    public static ExpressionError UnknownLexeme(string text, int start)
    {
        var rest = text.AsSpan(start);
        var snippet = Snippet(rest);
        var where = $"at column {start + 1} in `{text}`";
        var message = rest switch
        {
            ['$', '{', ..] => $"`${{…}}` is not valid {where}: expressions name variables as `$NAME`, without braces",
            ['$', '[', '[', ..] => $"`$[[ inputs.… ]]` {where} is not supported in expressions yet",
            ['$', ..] => $"`$` {where} must be followed by a variable name (letters, digits, _)",
            ['"' or '\'', ..] => $"unterminated string starting {where}: add the closing {rest[0]} on the same line",
            ['/', ..] => $"`{snippet}` {where} is not a regular expression: write `/pattern/flags`, with at least two characters between the slashes and no backslash right before the closing one",
            ['!', ..] => $"unexpected `!` {where}: GitLab has no `!` operator; use `!=`, `!~` or `== null`",
            ['=', ..] => $"unexpected `=` {where}: compare with `==` or match with `=~`",
            ['&', ..] => $"unexpected `&` {where}: did you mean `&&`?",
            ['|', ..] => $"unexpected `|` {where}: did you mean `||`?",
            [>= '0' and <= '9', ..] => $"unexpected `{snippet}` {where}: numbers must be quoted, e.g. \"{snippet}\"",
            _ => $"unexpected `{snippet}` {where}: values are `$VARIABLES`, \"strings\", /patterns/, null, true or false",
        };
        return new(message, start + 1);
    }

    public static ExpressionError UnmatchedClose(string text, ExpressionToken token) =>
        new($"unmatched `)` at column {token.Column} in `{text}`", token.Column);

    public static ExpressionError UnclosedOpen(string text, ExpressionToken token) =>
        new($"unclosed `(` at column {token.Column} in `{text}`", token.Column);

    public static ExpressionError MissingOperand(string text, ExpressionToken token) =>
        new($"`{token.Text}` at column {token.Column} needs a value on each side in `{text}`", token.Column);

    public static ExpressionError MissingOperator(string text, int start) =>
        new($"missing operator before `{Snippet(text.AsSpan(start))}` at column {start + 1} in `{text}`", start + 1);

    /// <summary>The offending text up to the next whitespace, at most 20 characters.</summary>
    private static string Snippet(ReadOnlySpan<char> rest)
    {
        var end = 0;
        while (end < rest.Length && end < 20 && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }

        return rest[..Math.Max(end, 1)].ToString();
    }
}
