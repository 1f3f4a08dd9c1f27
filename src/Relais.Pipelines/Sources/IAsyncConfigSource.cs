namespace Relais.Pipelines.Sources;

/// <summary>
/// A source whose files are read asynchronously, outside the compiler (which reads synchronously). Contract:
/// <see cref="IConfigSource.ReadFile"/> and <see cref="IConfigSource.ListFiles"/> answer at once from what was read
/// and note what was not (answering "no such file" or an empty list meanwhile); <see cref="FetchMissingAsync"/> then
/// reads every noted file and returns true when it read anything new. <see cref="AsyncCompile"/> repeats the compile
/// until nothing is missing, so the last compile sees every file it asked for and no read blocks a thread.
/// Called from one thread at a time.
/// </summary>
public interface IAsyncConfigSource : IConfigSource
{
    /// <summary>Reads the files asked for since the last call; false when nothing was missing.</summary>
    Task<bool> FetchMissingAsync(CancellationToken cancellationToken);
}

/// <summary>Compiles with a source that may be an <see cref="IAsyncConfigSource"/> (then repeated as its files come in).</summary>
public static class AsyncCompile
{
    /// <summary>
    /// The compile result with every file the compile asked for: one compile per level of local includes that were
    /// not read yet (a configuration without includes compiles once when its entry file was read ahead).
    /// </summary>
    public static async Task<CompileResult> CompileAsync(CompileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        while (true)
        {
            var result = PipelineCompiler.Compile(request);
            if (request.Source is not IAsyncConfigSource source || !await source.FetchMissingAsync(cancellationToken))
            {
                return result;
            }
        }
    }
}
