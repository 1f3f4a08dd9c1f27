namespace Relais.Pipelines.Yaml;

/// <summary>
/// Bounds that keep hostile input (alias bombs, deep nesting, huge files) to a clear error in bounded
/// time and memory. The defaults follow GitLab's instance defaults where it has one.
/// </summary>
public sealed record YamlLimits
{
    public static YamlLimits Default { get; } = new();

    /// <summary>Largest file read, in bytes (GitLab: 1 MiB per file by default; we allow a little more).</summary>
    public int MaxFileBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Deepest nesting of lists and hashes (GitLab: 100).</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most values a file may stand for once every alias is expanded.</summary>
    public long MaxExpandedNodes { get; init; } = 2_000_000;
}
