namespace Relais.Pipelines.Expressions;

/// <summary>
/// The outcome of one evaluation with the reasoning behind it, for <c>relais plan --explain</c>.
/// </summary>
/// <param name="Result">Whether the expression holds (what <see cref="CiExpression.Evaluate"/> returns).</param>
/// <param name="Steps">
/// One line per comparison or logical operator actually evaluated, innermost first, with the values
/// looked at, e.g. <c>$CI_COMMIT_BRANCH ("feature/x") == "main" → false</c>; the last line states the result.
/// </param>
public sealed record ExpressionTrace(bool Result, IReadOnlyList<string> Steps);
