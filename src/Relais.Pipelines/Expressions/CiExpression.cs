using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Relais.Pipelines.Expressions;

/// <summary>
/// A GitLab CI/CD expression, as written in <c>rules:if</c>, <c>workflow:rules:if</c>,
/// <c>include:rules:if</c> and <c>only/except:variables</c>, parsed once and evaluated many times.
/// </summary>
/// <remarks>
/// <para>The grammar and the results follow GitLab's evaluator (<c>Gitlab::Ci::Pipeline::Expression</c>):</para>
/// <list type="bullet">
/// <item>Operands: <c>$NAME</c> (ASCII letters, digits, <c>_</c>), <c>"…"</c> and <c>'…'</c> (no escapes), <c>null</c>,
/// <c>true</c>/<c>false</c> and <c>/pattern/flags</c> (RE2 syntax, flags i, m, s, U). <c>${NAME}</c>, <c>!</c> and
/// numbers are not part of the language and are syntax errors, as in GitLab.</item>
/// <item>Operators: <c>== != =~ !~</c> bind tightest, then <c>&amp;&amp;</c>, then <c>||</c>; parentheses group.</item>
/// <item>An undefined variable is null; "" is not null. <c>&amp;&amp;</c>/<c>||</c> work on values the Ruby way and the
/// final value counts as true when it is "present" (not null, false, "" or only whitespace).</item>
/// <item>At most 99 tokens.</item>
/// </list>
/// <para>Instances are immutable and thread-safe; parses are cached by text.</para>
/// </remarks>
public sealed class CiExpression
{
    private const int MaxCacheEntries = 10_000;

    private static readonly ConcurrentDictionary<string, (CiExpression? Expression, ExpressionError? Error)> Cache =
        new(StringComparer.Ordinal);

    private readonly ExpressionNode _root;

    private CiExpression(string text, ExpressionNode root, IReadOnlyList<string> variableNames)
    {
        Text = text;
        _root = root;
        VariableNames = variableNames;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The variables the expression reads, each once, in order of appearance.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CiExpression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Cache.TryGetValue(text, out var parsed))
        {
            parsed = ParseUncached(text);
            if (Cache.Count >= MaxCacheEntries)
            {
                Cache.Clear();
            }

            Cache[text] = parsed;
        }

        (expression, error) = parsed;
        return expression is not null;
    }

    /// <summary>Parses <paramref name="text"/>, throwing <see cref="FormatException"/> with the error message when it is invalid.</summary>
    public static CiExpression Parse(string text) =>
        TryParse(text, out var expression, out var error) ? expression : throw new FormatException(error.Message);

    /// <summary>Whether the expression holds, reading variables through <paramref name="lookup"/> (null = undefined).</summary>
    public bool Evaluate(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return _root.Evaluate(new EvaluationScope(lookup)).IsPresent;
    }

    /// <summary>
    /// Like <see cref="Evaluate"/>, and also says why, step by step. Values of variables for which
    /// <paramref name="isMasked"/> is true are shown as <c>[masked]</c>.
    /// </summary>
    public ExpressionTrace EvaluateWithTrace(Func<string, string?> lookup, Func<string, bool>? isMasked = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var steps = new List<string>();
        var scope = new EvaluationScope(lookup, steps, isMasked);
        var value = _root.Evaluate(scope);
        var result = value.IsPresent;
        if (_root is not BinaryNode)
        {
            steps.Add($"{scope.Describe(_root, value)} is {Presence(value)} → {Verdict(result)}");
        }
        else if (value.Kind != ValueKind.Boolean)
        {
            steps.Add($"result {scope.Show(value)} is {Presence(value)} → {Verdict(result)}");
        }

        return new ExpressionTrace(result, steps);
    }

    public override string ToString() => Text;

    /// <summary>The value before the final truthiness test (Ruby's view), for tests and diagnostics.</summary>
    internal ExpressionValue EvaluateValue(Func<string, string?> lookup) => _root.Evaluate(new EvaluationScope(lookup));

    private static (CiExpression?, ExpressionError?) ParseUncached(string text)
    {
        if (!ExpressionLexer.TryTokenize(text, out var tokens, out var error)
            || !ExpressionParser.TryParse(text, tokens, out var root, out error))
        {
            return (null, error);
        }

        var names = tokens.Where(token => token.Kind == TokenKind.Variable)
            .Select(token => token.Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return (new CiExpression(text, root, names), null);
    }

    private static string Presence(ExpressionValue value) => value.Kind switch
    {
        ValueKind.Null => "null",
        _ when value.IsPresent => "present",
        ValueKind.Boolean => "false",
        _ => "blank",
    };

    private static string Verdict(bool result) => result ? "true" : "false";
}
