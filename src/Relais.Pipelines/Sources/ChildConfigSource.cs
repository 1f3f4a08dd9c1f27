namespace Relais.Pipelines.Sources;

/// <summary>
/// What a child pipeline compiles: the parent's files (<paramref name="files"/>: a commit, or a working tree) with a few
/// files laid over them, the entry file that lists the bridge's <c>trigger:include</c> and the files taken from artifacts
/// (dynamic child pipelines). Reads of other paths go to <paramref name="files"/>, asynchronously when it is an
/// <see cref="IAsyncConfigSource"/>, as <see cref="AsyncCompile"/> asks.
/// </summary>
public sealed class ChildConfigSource(IConfigSource files, IReadOnlyDictionary<string, string> overlay) : IAsyncConfigSource, IAsyncDisposable
{
    public string? ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return overlay.TryGetValue(path.TrimStart('/'), out var text) ? text : files.ReadFile(path);
    }

    public IReadOnlyList<string> ListFiles() => files.ListFiles();

    public IConfigSource? OpenProject(string projectPath, string? gitRef) => files.OpenProject(projectPath, gitRef);

    public Task<bool> FetchMissingAsync(CancellationToken cancellationToken) =>
        files is IAsyncConfigSource pending ? pending.FetchMissingAsync(cancellationToken) : Task.FromResult(false);

    public async ValueTask DisposeAsync()
    {
        if (files is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
