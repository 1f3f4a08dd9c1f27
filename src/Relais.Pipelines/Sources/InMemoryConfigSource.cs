namespace Relais.Pipelines.Sources;

/// <summary>A repository held in memory: for tests, benchmarks and configurations passed on stdin.</summary>
public sealed class InMemoryConfigSource(IReadOnlyDictionary<string, string> files) : IConfigSource
{
    private readonly IReadOnlyList<string> _paths = [.. files.Keys.Order(StringComparer.Ordinal)];

    public Dictionary<string, InMemoryConfigSource> Projects { get; } = new(StringComparer.Ordinal);

    public static InMemoryConfigSource Single(string content, string path = ".gitlab-ci.yml") =>
        new(new Dictionary<string, string> { [path] = content });

    public string? ReadFile(string path) => files.TryGetValue(path, out var text) ? text : null;

    public IReadOnlyList<string> ListFiles() => _paths;

    public IConfigSource? OpenProject(string projectPath, string? gitRef) =>
        Projects.TryGetValue(gitRef is null ? projectPath : projectPath + "@" + gitRef, out var p)
            ? p
            : Projects.GetValueOrDefault(projectPath);
}
