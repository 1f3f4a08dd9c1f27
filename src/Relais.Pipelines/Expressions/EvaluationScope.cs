namespace Relais.Pipelines.Expressions;

/// <summary>
/// One evaluation: where variable values come from and, when tracing, the steps written so far.
/// Values of masked variables seen during the evaluation are shown as <c>[masked]</c> in the steps.
/// </summary>
internal sealed class EvaluationScope(Func<string, string?> lookup, List<string>? steps = null, Func<string, bool>? isMasked = null)
{
    private HashSet<string>? _maskedValues;

    public ExpressionValue Lookup(string name)
    {
        var value = lookup(name);
        if (value is not null && steps is not null && isMasked?.Invoke(name) == true)
        {
            (_maskedValues ??= new(StringComparer.Ordinal)).Add(value);
        }

        return ExpressionValue.Of(value);
    }

    public bool IsTracing => steps is not null;

    public void Step(string text) => steps?.Add(text);

    /// <summary>An operand for a step: <c>$NAME ("value")</c>, <c>$NAME (undefined)</c>, a literal as written, or <c>(sub-expression)</c>.</summary>
    public string Describe(ExpressionNode node, ExpressionValue value) => node switch
    {
        VariableNode variable => $"${variable.Name} ({(value.IsNull ? "undefined" : Show(value))})",
        BinaryNode binary => $"({binary.Render()})",
        _ => node.Render(),
    };

    public string Show(ExpressionValue value) =>
        value.Kind == ValueKind.String && _maskedValues?.Contains(value.Text!) == true ? "[masked]" : value.Display();
}
