using Relais.Pipelines.Context;
using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>What running a pipeline for a ref gave: the pipeline (created, failed or filtered out), or null with the reason there is no configuration.</summary>
internal sealed record RefPipeline(CreatedPipeline? Created, string? NoConfiguration);

/// <summary>
/// Runs a pipeline for a ref as someone asks for one (<c>POST /projects/:id/pipeline</c>, the "Run pipeline" page):
/// the configuration at the ref (<see cref="IPipelineConfigSource"/>), the caller as its user, their variables last
/// (so they override the project's), and the source that says where the request came from (<c>api</c>, <c>web</c>).
/// </summary>
internal sealed class RefPipelines(IPipelineConfigSource configs, PipelineCreator creator, PipelineUsers users)
{
    public async Task<RefPipeline> RunAsync(
        ProjectRecord project, string gitRef, UserRecord? user, IReadOnlyList<ContextVariable> variables, PipelineSource source, CancellationToken cancel)
    {
        if (await configs.ResolveAsync(project, gitRef, cancel) is not { } input)
        {
            return new RefPipeline(null, $"no CI configuration for ref '{gitRef}' (the project has no stored .gitlab-ci.yml)");
        }

        await using (input.Source as IAsyncDisposable)
        {
            var pipelineUser = await users.OfAsync(user, cancel);
            var context = input.Context with { Source = source, User = pipelineUser, Variables = [.. input.Context.Variables, .. variables] };
            return new RefPipeline(await creator.CreateAsync(project, input with { Context = context }), null); // the source's git process ends with it
        }
    }
}
