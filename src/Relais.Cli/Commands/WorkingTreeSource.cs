using Relais.Git;
using Relais.Pipelines.Sources;

namespace Relais.Cli.Commands;

/// <summary>
/// The repository as it stands on disk, uncommitted changes included: what <c>relais plan</c> and
/// <c>relais run</c> read by default. Files are those git tracks plus untracked, not ignored ones (or
/// every file below the root outside a git checkout); git lists them asynchronously, only when the compile asks
/// for the list (<see cref="IAsyncConfigSource"/>).
/// </summary>
internal sealed class WorkingTreeSource(string root, bool isGit) : IAsyncConfigSource
{
    private IReadOnlyList<string>? _files;
    private bool _filesMissing;

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

    public IReadOnlyList<string> ListFiles()
    {
        if (_files is null && !isGit)
        {
            _files = [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith(".git/", StringComparison.Ordinal))];
        }

        _filesMissing |= _files is null;
        return _files ?? [];
    }

    public async Task<bool> FetchMissingAsync(CancellationToken cancellationToken)
    {
        if (!_filesMissing)
        {
            return false;
        }

        _files = await GitRepository.At(Root).ListFilesAsync(WorkingTreeFiles.Tracked | WorkingTreeFiles.Untracked, cancellationToken) ?? [];
        _filesMissing = false;
        return true;
    }
}
