using Relais.Pipelines.Sources;

namespace Relais.Cli.Git;

/// <summary>
/// The repository as it stands on disk, uncommitted changes included: what <c>relais plan</c> and
/// <c>relais run</c> read by default. Files are those git tracks plus untracked, not ignored ones (or
/// every file below the root outside a git checkout).
/// </summary>
internal sealed class WorkingTreeSource(string root, bool isGit) : IConfigSource
{
    private IReadOnlyList<string>? _files;

    public string Root { get; } = root;

    public string? ReadFile(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (!full.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }

        return File.ReadAllText(full);
    }

    public IReadOnlyList<string> ListFiles() => _files ??= isGit
        ? new GitCli(Root).Lines("ls-files", "--cached", "--others", "--exclude-standard")
        : [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal))];
}
