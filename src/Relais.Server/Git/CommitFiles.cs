using Relais.Pipelines.Sources;

namespace Relais.Server.Git;

/// <summary>
/// A bare repository's files at one commit, for the compiler: <c>git cat-file blob SHA:PATH</c> per file read
/// (a configuration reads a handful) and one <c>git ls-tree</c>, cached, for globs and <c>rules:exists</c>.
/// </summary>
internal sealed class CommitFiles(string gitDir, string sha) : IConfigSource
{
    private IReadOnlyList<string>? _files;

    public string? ReadFile(string path) =>
        path.Length == 0 || path.StartsWith('-') ? null : GitCommand.Run(gitDir, "cat-file", "blob", $"{sha}:{path}");

    public IReadOnlyList<string> ListFiles() =>
        _files ??= GitCommand.Run(gitDir, "ls-tree", "-r", "-z", "--name-only", sha)?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
