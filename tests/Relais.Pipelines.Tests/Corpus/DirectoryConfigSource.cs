using Relais.Pipelines.Sources;

namespace Relais.Pipelines.Tests.Corpus;

/// <summary>A folder on disk read as a repository (for the real-world samples).</summary>
internal sealed class DirectoryConfigSource(string root) : IConfigSource
{
    private readonly IReadOnlyList<string> _files = [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))];

    public Dictionary<string, IConfigSource> Projects { get; } = new(StringComparer.Ordinal);

    public string? ReadFile(string path)
    {
        var full = Path.Combine(root, path);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public IReadOnlyList<string> ListFiles() => _files;

    public IConfigSource? OpenProject(string projectPath, string? gitRef) => Projects.GetValueOrDefault(projectPath);
}
