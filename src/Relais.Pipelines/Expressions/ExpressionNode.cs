namespace Relais.Pipelines.Expressions;

/// <summary>A node of a parsed expression. Immutable, so one parse serves every evaluation.</summary>
internal abstract class ExpressionNode(int start)
{
    /// <summary>Where the node's leftmost token starts in the expression text (0-based).</summary>
    public int Start { get; } = start;

    public abstract ExpressionValue Evaluate(EvaluationScope scope);

    /// <summary>The node written back as text, with parentheses only where the grouping needs them.</summary>
    public abstract string Render();
}

/// <summary>A string, <c>null</c>, <c>true</c>/<c>false</c> or a <c>/pattern/</c>: its value is fixed at parse time.</summary>
internal sealed class LiteralNode(ExpressionToken token, ExpressionValue value) : ExpressionNode(token.Start)
{
    public override ExpressionValue Evaluate(EvaluationScope scope) => value;

    public override string Render() => token.Text;
}

/// <summary><c>$NAME</c>: the variable's value, or null when it is not defined.</summary>
internal sealed class VariableNode(ExpressionToken token) : ExpressionNode(token.Start)
{
    public string Name { get; } = token.Value;

    public override ExpressionValue Evaluate(EvaluationScope scope) => scope.Lookup(Name);

    public override string Render() => "$" + Name;
}

/// <summary>A comparison (<c>== != =~ !~</c>) or a logical operator (<c>&amp;&amp; ||</c>) with its two operands.</summary>
internal sealed class BinaryNode(ExpressionToken op, ExpressionNode left, ExpressionNode right)
    : ExpressionNode(Math.Min(Math.Min(left.Start, right.Start), op.Start))
{
    public ExpressionToken Operator { get; } = op;

    public ExpressionNode Left { get; } = left;

    public ExpressionNode Right { get; } = right;

    public override ExpressionValue Evaluate(EvaluationScope scope) => Operator.Kind switch
    {
        TokenKind.And => Logical(scope, stopWhenTruthy: false),
        TokenKind.Or => Logical(scope, stopWhenTruthy: true),
        _ => Compare(scope),
    };

    public override string Render() =>
        $"{RenderChild(Left, parenthesizeEqual: false)} {Operator.Text} {RenderChild(Right, parenthesizeEqual: true)}";

    /// <summary>
    /// Ruby's <c>a &amp;&amp; b</c> and <c>a || b</c>: the result is one of the operands, not a boolean, and
    /// only nil and false are falsy. So <c>"" &amp;&amp; "x"</c> is "x", and <c>"" || "x"</c> is "" (false at the end).
    /// </summary>
    private ExpressionValue Logical(EvaluationScope scope, bool stopWhenTruthy)
    {
        var left = Left.Evaluate(scope);
        if (left.IsTruthy == stopWhenTruthy)
        {
            if (scope.IsTracing)
            {
                scope.Step($"{scope.Describe(Left, left)} {Operator.Text} … → {scope.Show(left)} (right side not evaluated)");
            }

            return left;
        }

        var right = Right.Evaluate(scope);
        if (scope.IsTracing)
        {
            scope.Step($"{scope.Describe(Left, left)} {Operator.Text} {scope.Describe(Right, right)} → {scope.Show(right)}");
        }

        return right;
    }

    private ExpressionValue Compare(EvaluationScope scope)
    {
        var left = Left.Evaluate(scope);
        var right = Right.Evaluate(scope);
        var result = Operator.Kind switch
        {
            TokenKind.Equals => left.RubyEquals(right),
            TokenKind.NotEquals => !left.RubyEquals(right),
            TokenKind.Matches => PatternMatching.Matches(left, right),
            _ => PatternMatching.DoesNotMatch(left, right),
        };
        if (scope.IsTracing)
        {
            scope.Step($"{scope.Describe(Left, left)} {Operator.Text} {scope.Describe(Right, right)} → {(result ? "true" : "false")}");
        }

        return ExpressionValue.Of(result);
    }

    private string RenderChild(ExpressionNode child, bool parenthesizeEqual) =>
        child is BinaryNode binary
        && (binary.Operator.Precedence > Operator.Precedence
            || (parenthesizeEqual && binary.Operator.Precedence == Operator.Precedence))
            ? $"({child.Render()})"
            : child.Render();
}
