using Relais.Pipelines.Sources;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>
/// What a child pipeline compiles: the parent commit's files (<paramref name="commit"/>) with a few files laid over
/// them, the entry file that lists the bridge's <c>trigger:include</c> and the files taken from artifacts
/// (dynamic child pipelines). Reads of other paths go to the commit, asynchronously as <see cref="AsyncCompile"/> asks.
/// </summary>
internal sealed class ChildConfigSource(IAsyncConfigSource commit, IReadOnlyDictionary<string, string> overlay) : IAsyncConfigSource, IAsyncDisposable
{
    public string? ReadFile(string path) => overlay.TryGetValue(path.TrimStart('/'), out var text) ? text : commit.ReadFile(path);

    public IReadOnlyList<string> ListFiles() => commit.ListFiles();

    public IConfigSource? OpenProject(string projectPath, string? gitRef) => commit.OpenProject(projectPath, gitRef);

    public Task<bool> FetchMissingAsync(CancellationToken cancellationToken) => commit.FetchMissingAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (commit is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
