namespace Relais.Pipelines.Context;

/// <summary>
/// GitLab's environment scope of a CI/CD variable: <c>*</c> reaches every job; any other scope only jobs whose
/// <c>environment:name</c> it matches, where <c>*</c> in the scope stands for any characters (<c>review/*</c>) and the
/// rest must be equal (case-sensitive). When one key matches several scopes the most specific wins: an exact name
/// over a wildcard pattern over <c>*</c> (a longer pattern over a shorter one).
/// </summary>
public static class EnvironmentScopes
{
    public const string Any = "*";

    /// <summary>Whether <paramref name="scope"/> reaches a job in <paramref name="environment"/> (null: the job has none).</summary>
    public static bool Matches(string? scope, string? environment)
    {
        if (scope is null or Any)
        {
            return true;
        }

        return environment is not null && Glob(scope, environment);
    }

    /// <summary>How specific a matching scope is: 0 for <c>*</c>, 1 plus its length for a pattern, above every pattern for an exact name.</summary>
    public static int Specificity(string? scope) =>
        scope is null or Any ? 0 : scope.Contains('*', StringComparison.Ordinal) ? 1 + scope.Length : int.MaxValue;

    /// <summary>
    /// The variables that reach a job in <paramref name="environment"/>, in their order. Whoever lists them puts each
    /// level's variables in ascending <see cref="Specificity"/> (and levels in precedence order), so where later
    /// definitions win, the most specific matching scope of the nearest level wins.
    /// </summary>
    public static IReadOnlyList<ContextVariable> ForEnvironment(IReadOnlyList<ContextVariable> variables, string? environment)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return variables.All(v => v.Unscoped) ? variables : [.. variables.Where(v => Matches(v.EnvironmentScope, environment))];
    }

    private static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal)
            || text.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = text.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}
