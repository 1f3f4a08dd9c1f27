using Relais.Pipelines.Context;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Runs a pipeline for a branch or tag on behalf of something other than a push: a trigger token, a job token, a
/// schedule. The configuration and commit come from <see cref="IPipelineConfigSource"/> (the ref's tip); the caller
/// chooses the source (<c>CI_PIPELINE_SOURCE</c>) and the user it runs as, and its variables come last, with the
/// precedence of pipeline variables.
/// </summary>
internal sealed class RefPipelineRunner(IPipelineConfigSource configs, PipelineCreator creator, PipelineUsers users)
{
    /// <summary>
    /// The created (or filtered-out) pipeline; null when the project has no such ref or no configuration for it.
    /// <paramref name="gitRef"/> may be a full ref (<c>refs/heads/…</c>, <c>refs/tags/…</c>).
    /// </summary>
    public async Task<CreatedPipeline?> RunAsync(
        ProjectRecord project, string gitRef, PipelineSource source, UserRecord? user, IReadOnlyList<ContextVariable> variables, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (await configs.ResolveAsync(project, ShortName(gitRef), cancel) is not { } input)
        {
            return null;
        }

        await using (input.Source as IAsyncDisposable)
        {
            var pipelineUser = await users.OfAsync(user, cancel);
            var context = input.Context with { Source = source, User = pipelineUser, Variables = [.. input.Context.Variables, .. variables] };
            return await creator.CreateAsync(project, input with { Context = context }); // the source's git process ends with it
        }
    }

    /// <summary>The branch or tag name of a ref as a schedule may store it (<c>refs/heads/main</c> → <c>main</c>).</summary>
    public static string ShortName(string gitRef)
    {
        ArgumentNullException.ThrowIfNull(gitRef);
        foreach (var prefix in (string[])["refs/heads/", "refs/tags/"])
        {
            if (gitRef.StartsWith(prefix, StringComparison.Ordinal))
            {
                return gitRef[prefix.Length..];
            }
        }

        return gitRef;
    }
}
