namespace Relais.Pipelines.Expressions;

/// <summary>The lexemes GitLab's expression lexer knows, in the order it tries them.</summary>
internal enum TokenKind
{
    ParenOpen,
    ParenClose,
    Variable,
    String,
    Pattern,
    Null,
    Boolean,
    Equals,
    Matches,
    NotEquals,
    NotMatches,
    And,
    Or,
}

/// <summary>
/// One token of an expression. <see cref="Value"/> holds what the token stands for: the variable's name,
/// the string's content or the literal's text; <see cref="Regex"/> holds a pattern's compiled form.
/// </summary>
internal sealed record ExpressionToken(TokenKind Kind, int Start, string Text, string Value, CiRegex? Regex = null)
{
    /// <summary>1-based column, for messages.</summary>
    public int Column => Start + 1;

    public bool IsValue => Kind is TokenKind.Variable or TokenKind.String or TokenKind.Pattern
        or TokenKind.Null or TokenKind.Boolean;

    public bool IsBinaryOperator => Kind is TokenKind.Equals or TokenKind.Matches or TokenKind.NotEquals
        or TokenKind.NotMatches or TokenKind.And or TokenKind.Or;

    /// <summary>
    /// GitLab's precedences, after Ruby's table: a smaller number binds tighter. Parentheses are above
    /// every operator so that the shunting-yard stops at them.
    /// </summary>
    public int Precedence => Kind switch
    {
        TokenKind.Equals or TokenKind.NotEquals or TokenKind.Matches or TokenKind.NotMatches => 10,
        TokenKind.And => 11,
        TokenKind.Or => 12,
        TokenKind.ParenClose => 900,
        TokenKind.ParenOpen => 901,
        _ => 0,
    };
}
