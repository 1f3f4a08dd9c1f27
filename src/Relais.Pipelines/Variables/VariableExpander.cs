namespace Relais.Pipelines.Variables;

/// <summary>
/// Expands variable references inside one string, as GitLab's server does (see <see cref="ExpansionDialect"/>
/// for its two dialects; the runner's own expansion is <c>Relais.Runner.Variables.VariableExpander</c>). Pure; strings without <c>$</c> (or <c>%</c>) are
/// returned as they are, without allocating.
/// </summary>
public static class VariableExpander
{
    /// <summary>
    /// Expands <paramref name="text"/>, reading values through <paramref name="lookup"/> (null = undefined).
    /// The default options are GitLab's server expanding a variable's value.
    /// </summary>
    public static string Expand(string text, Func<string, string?> lookup, ExpansionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        var (dialect, keepUndefined) = options ?? ExpansionOptions.GitLabVariables;
        return GitLabReferenceSyntax.Expand(text, dialect == ExpansionDialect.GitLabVariables, keepUndefined, (name, _) => lookup(name));
    }

    /// <summary>
    /// The names <paramref name="text"/> refers to in GitLab's syntax (<c>$NAME</c>, <c>${NAME}</c>,
    /// <c>%NAME%</c>; <c>$$</c>/<c>%%</c> escapes skipped), in order, each once.
    /// </summary>
    public static IReadOnlyList<string> ReferencedNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return GitLabReferenceSyntax.References(text, escapes: true).Distinct(StringComparer.Ordinal).ToArray();
    }
}
