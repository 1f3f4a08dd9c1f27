using System.Diagnostics.CodeAnalysis;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// Builds the tree the way GitLab does, so that exactly the same expressions are accepted: a shunting-yard
/// pass to reverse Polish order (<c>==</c> and friends bind tightest, then <c>&amp;&amp;</c>, then <c>||</c>, all
/// left-associative), then a stack pass that pairs operators with operands. Like GitLab's, it does not
/// insist that values and operators alternate, so odd spellings such as <c>$A $B ==</c> are accepted
/// and mean <c>$A == $B</c>.
/// </summary>
internal static class ExpressionParser
{
    public static bool TryParse(string text, List<ExpressionToken> tokens, [NotNullWhen(true)] out ExpressionNode? root, [NotNullWhen(false)] out ExpressionError? error)
    {
        root = null;
        if (tokens.Count == 0)
        {
            error = ExpressionErrors.Empty();
            return false;
        }

        return TryToPostfix(text, tokens, out var postfix, out error) && TryBuild(text, tokens, postfix, out root, out error);
    }

    private static bool TryToPostfix(string text, List<ExpressionToken> tokens, out List<ExpressionToken> postfix, [NotNullWhen(false)] out ExpressionError? error)
    {
        postfix = new List<ExpressionToken>(tokens.Count);
        var operators = new Stack<ExpressionToken>();
        foreach (var token in tokens)
        {
            if (token.IsValue)
            {
                postfix.Add(token);
            }
            else if (token.Kind == TokenKind.ParenOpen)
            {
                operators.Push(token);
            }
            else
            {
                // An operator (or `)`) first moves out every stacked operator that binds at least as tightly.
                while (operators.Count > 0 && token.Precedence >= operators.Peek().Precedence)
                {
                    postfix.Add(operators.Pop());
                }

                if (token.IsBinaryOperator)
                {
                    operators.Push(token);
                }
                else if (operators.Count == 0)
                {
                    error = ExpressionErrors.UnmatchedClose(text, token);
                    return false;
                }
                else
                {
                    operators.Pop();
                }
            }
        }

        postfix.AddRange(operators);
        error = null;
        return true;
    }

    private static bool TryBuild(string text, List<ExpressionToken> tokens, List<ExpressionToken> postfix, [NotNullWhen(true)] out ExpressionNode? root, [NotNullWhen(false)] out ExpressionError? error)
    {
        root = null;
        var nodes = new List<ExpressionNode>();
        foreach (var token in postfix)
        {
            if (token.Kind == TokenKind.ParenOpen)
            {
                error = ExpressionErrors.UnclosedOpen(text, token);
                return false;
            }

            if (token.IsValue)
            {
                nodes.Add(Leaf(token));
                continue;
            }

            if (nodes.Count < 2)
            {
                error = ExpressionErrors.MissingOperand(text, token);
                return false;
            }

            var right = nodes[^1];
            var left = nodes[^2];
            nodes.RemoveRange(nodes.Count - 2, 2);
            nodes.Add(new BinaryNode(token, left, right));
        }

        if (nodes.Count != 1)
        {
            error = nodes.Count == 0 ? ExpressionErrors.Empty() : ExpressionErrors.MissingOperator(text, MissingOperatorAt(tokens) ?? nodes[1].Start);
            return false;
        }

        root = nodes[0];
        error = null;
        return true;
    }

    /// <summary>Where two operands meet with no operator between them (<c>$A $B</c>, <c>) (</c>), reading left to right.</summary>
    private static int? MissingOperatorAt(List<ExpressionToken> tokens)
    {
        for (var i = 1; i < tokens.Count; i++)
        {
            var endsOperand = tokens[i - 1].IsValue || tokens[i - 1].Kind == TokenKind.ParenClose;
            var startsOperand = tokens[i].IsValue || tokens[i].Kind == TokenKind.ParenOpen;
            if (endsOperand && startsOperand)
            {
                return tokens[i].Start;
            }
        }

        return null;
    }

    private static ExpressionNode Leaf(ExpressionToken token) => token.Kind switch
    {
        TokenKind.Variable => new VariableNode(token),
        TokenKind.String => new LiteralNode(token, ExpressionValue.Of(token.Value)),
        TokenKind.Pattern => new LiteralNode(token, ExpressionValue.Of(token.Regex!)),
        TokenKind.Boolean => new LiteralNode(token, ExpressionValue.Of(token.Value == "true")),
        _ => new LiteralNode(token, ExpressionValue.Null),
    };
}
