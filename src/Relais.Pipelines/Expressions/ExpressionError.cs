namespace Relais.Pipelines.Expressions;

/// <summary>
/// Why an expression did not parse. GitLab rejects such an expression when it validates the
/// configuration (<c>invalid expression syntax</c>), so the compiler reports it as an error.
/// </summary>
/// <param name="Message">A sentence that names the place and the fix, e.g. "unexpected `)` at column 7 in `$A == )`".</param>
/// <param name="Column">1-based column in the expression text where the problem is; 0 when none applies.</param>
public sealed record ExpressionError(string Message, int Column)
{
    public override string ToString() => Message;
}
