namespace Relais.GitOps.Updates.Templates;

/// <summary>A part of a parsed template.</summary>
internal abstract record TemplateNode;

/// <summary>Text written as it is.</summary>
internal sealed record TextNode(string Text) : TemplateNode;

/// <summary><c>{{ pipeline }}</c>: the pipeline's value printed.</summary>
internal sealed record ActionNode(Pipeline Pipeline) : TemplateNode;

/// <summary><c>{{ if pipeline }} … {{ else }} … {{ end }}</c>.</summary>
internal sealed record IfNode(Pipeline Condition, IReadOnlyList<TemplateNode> Then, IReadOnlyList<TemplateNode> Else) : TemplateNode;

/// <summary><c>{{ range [$k,] [$v :=] pipeline }} … {{ else }} … {{ end }}</c>.</summary>
internal sealed record RangeNode(string? KeyVariable, string? ValueVariable, Pipeline Over, IReadOnlyList<TemplateNode> Body, IReadOnlyList<TemplateNode> Else) : TemplateNode;

/// <summary>Commands joined by <c>|</c>: each command's value is the last argument of the next.</summary>
internal sealed record Pipeline(IReadOnlyList<Command> Commands);

/// <summary>A function and its arguments, or a single operand.</summary>
internal sealed record Command(IReadOnlyList<Operand> Operands);

/// <summary>An argument or the head of a command.</summary>
internal abstract record Operand;

/// <summary><c>.</c> or <c>.A.B</c> (Base null), or <c>$x.A.B</c> (Base the variable).</summary>
internal sealed record FieldOperand(string? Variable, IReadOnlyList<string> Fields) : Operand;

/// <summary>A string, number or boolean constant.</summary>
internal sealed record ConstantOperand(object? Value) : Operand;

/// <summary>A function name (<c>print</c>, <c>printf</c>, …).</summary>
internal sealed record FunctionOperand(string Name) : Operand;
