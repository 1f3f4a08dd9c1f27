namespace Relais.Pipelines.Variables;

/// <summary>
/// Which of GitLab's server-side rules a <c>$NAME</c> expansion follows. (The runner's rules differ again; they live in
/// the runner, <c>Relais.Runner.Variables.VariableExpander</c>.)
/// </summary>
public enum ExpansionDialect
{
    /// <summary>
    /// GitLab (Rails) expanding variables inside other variables' values (<c>Ci::Variables::Collection</c>):
    /// <c>$NAME</c>, <c>${NAME}</c> and <c>%NAME%</c> with NAME = <c>[A-Za-z_][A-Za-z0-9_]*</c>;
    /// <c>$$</c> and <c>%%</c> are left exactly as written so that the runner (and the shell) see the escape.
    /// </summary>
    GitLabVariables,

    /// <summary>
    /// GitLab (Rails) expanding a keyword's value (<c>ExpandVariables</c>: <c>rules:changes</c> and
    /// <c>rules:exists</c> paths, <c>include</c> locations, environment names): the same references, but
    /// <c>$$</c> is no escape there, so in <c>$$NAME</c> the second <c>$</c> starts a reference.
    /// </summary>
    GitLabKeywords,
}

/// <summary>How <see cref="VariableExpander"/> expands: the dialect, and what happens to undefined references.</summary>
/// <param name="Dialect">The syntax and escapes.</param>
/// <param name="KeepUndefined">True keeps a reference to an undefined variable as written (GitLab's server does);
/// false replaces it by nothing.</param>
public readonly record struct ExpansionOptions(ExpansionDialect Dialect, bool KeepUndefined)
{
    /// <summary>GitLab expanding variable values: undefined references kept, <c>$$</c> kept.</summary>
    public static ExpansionOptions GitLabVariables { get; } = new(ExpansionDialect.GitLabVariables, KeepUndefined: true);

    /// <summary>GitLab expanding keyword values (<c>ExpandVariables.expand_existing</c>): undefined references kept.</summary>
    public static ExpansionOptions GitLabKeywords { get; } = new(ExpansionDialect.GitLabKeywords, KeepUndefined: true);
}
