namespace Relais.Pipelines.Globs;

/// <summary>Which of GitLab's two glob flavours a pattern follows.</summary>
public enum GlobDialect
{
    /// <summary>
    /// Ruby's <c>File.fnmatch?(glob, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)</c>, which GitLab uses for
    /// <c>rules:changes</c>, <c>rules:exists</c> and <c>only/except:changes</c>: <c>*</c> and <c>?</c> and
    /// <c>[…]</c> stay within one directory, <c>**/</c> spans any number of directories (zero included),
    /// <c>{a,b}</c> alternatives, <c>\</c> escapes, and dot files match like any other (DOTMATCH).
    /// </summary>
    FileMatch,

    /// <summary>
    /// <c>include:local</c> wildcards (GitLab's <c>search_files_by_wildcard_path</c>): only <c>*</c> (any
    /// characters but <c>/</c>) and <c>**</c> (any characters, <c>/</c> included) are special; the rest is
    /// literal and the whole path must match. So <c>configs/**.yml</c> reaches every depth, while
    /// <c>configs/**/*.yml</c> needs at least one directory below <c>configs</c>.
    /// </summary>
    IncludeLocal,
}
