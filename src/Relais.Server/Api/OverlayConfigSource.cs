using Relais.Pipelines.Sources;

namespace Relais.Server.Api;

/// <summary>A repository's files at a commit with one file replaced (the content given to <c>POST /ci/lint</c>).</summary>
internal sealed class OverlayConfigSource(string path, string content, IConfigSource files) : IAsyncConfigSource
{
    public string? ReadFile(string path1) => path1 == path ? content : files.ReadFile(path1);

    public IReadOnlyList<string> ListFiles() => files.ListFiles().Contains(path, StringComparer.Ordinal) ? files.ListFiles() : [.. files.ListFiles(), path];

    public IConfigSource? OpenProject(string projectPath, string? gitRef) => files.OpenProject(projectPath, gitRef);

    public Task<bool> FetchMissingAsync(CancellationToken cancellationToken) =>
        files is IAsyncConfigSource source ? source.FetchMissingAsync(cancellationToken) : Task.FromResult(false);
}
