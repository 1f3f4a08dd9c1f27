namespace Relais.Pipelines.Sources;

/// <summary>
/// The repository's files at one commit, as the compiler sees them. The compiler does no I/O of its own:
/// the caller supplies this (a working tree, a git commit through <c>git cat-file</c>, an in-memory map in
/// tests). Paths are repository-relative with forward slashes and no leading slash.
/// Implementations may be called from one thread at a time only.
/// </summary>
public interface IConfigSource
{
    /// <summary>The text of <paramref name="path"/>, or null when the file does not exist.</summary>
    string? ReadFile(string path);

    /// <summary>Every file path in the repository (for <c>include</c> globs and <c>rules:exists</c>).</summary>
    IReadOnlyList<string> ListFiles();

    /// <summary>
    /// Another project's files at <paramref name="gitRef"/> (the default branch when null), for
    /// <c>include: project:</c>; null when that project or ref cannot be read.
    /// </summary>
    IConfigSource? OpenProject(string projectPath, string? gitRef) => null;
}

/// <summary>
/// Supplies includes that live outside any repository: <c>remote</c>, <c>template</c> and
/// <c>component</c>. Without one, those includes are reported as not available.
/// </summary>
public interface IExternalIncludeResolver
{
    /// <summary>The text of the include, or null when it cannot be had.</summary>
    /// <param name="kind"><c>remote</c>, <c>template</c> or <c>component</c>.</param>
    /// <param name="location">The URL, template name or component address as written (variables expanded).</param>
    string? Resolve(string kind, string location);
}
