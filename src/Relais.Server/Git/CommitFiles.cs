using Relais.Pipelines.Sources;
using Relais.Git;

namespace Relais.Server.Git;

/// <summary>
/// A repository's files at one commit, for the compiler, read through one <c>git cat-file --batch</c> process
/// (whatever the number of files) and one <c>git ls-tree</c> when globs or <c>rules:exists</c> ask for the file
/// list. Every file is read once and kept; reads are asynchronous (<see cref="IAsyncConfigSource"/>). Dispose it
/// after the compile: that ends the process.
/// </summary>
public sealed class CommitFiles : IAsyncConfigSource, IAsyncDisposable
{
    private readonly GitRepository _git;
    private readonly string _sha;
    private readonly Dictionary<string, string?> _read = new(StringComparer.Ordinal);
    private readonly List<string> _missing = [];
    private CatFileBatch? _blobs;
    private IReadOnlyList<string>? _files;
    private bool _filesMissing;

    /// <summary>The files of commit <paramref name="sha"/> in <paramref name="git"/>.</summary>
    public CommitFiles(GitRepository git, string sha)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentException.ThrowIfNullOrEmpty(sha);
        _git = git;
        _sha = sha;
    }

    /// <summary>The commit.</summary>
    public string Sha => _sha;

    /// <summary>Reads <paramref name="path"/> now (once; later reads, the compiler's too, are answered from memory).</summary>
    public async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_read.TryGetValue(path, out var known))
        {
            return known;
        }

        _blobs ??= _git.OpenBlobs();
        var text = path.Length == 0 ? null : (await _blobs.ReadAsync(_sha, path, cancellationToken)).Text;
        _read[path] = text;
        return text;
    }

    /// <inheritdoc />
    public string? ReadFile(string path)
    {
        if (_read.TryGetValue(path, out var text))
        {
            return text;
        }

        if (!_missing.Contains(path))
        {
            _missing.Add(path);
        }

        return null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles()
    {
        _filesMissing |= _files is null;
        return _files ?? [];
    }

    /// <inheritdoc />
    public async Task<bool> FetchMissingAsync(CancellationToken cancellationToken)
    {
        var fetched = false;
        if (_filesMissing)
        {
            _files = await _git.ListTreeAsync(_sha, cancellationToken);
            _filesMissing = false;
            fetched = true;
        }

        foreach (var path in _missing.ToList())
        {
            await ReadAsync(path, cancellationToken);
            fetched = true;
        }

        _missing.Clear();
        return fetched;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_blobs is not null)
        {
            await _blobs.DisposeAsync();
        }
    }
}
