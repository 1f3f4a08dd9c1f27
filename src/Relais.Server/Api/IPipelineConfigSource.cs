using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Finds what a pipeline for a ref is made of, for <c>POST /projects/:id/pipeline</c>. Contract: returns null
/// when the project has no configuration for that ref (the endpoint then answers 400); never throws for a missing
/// ref. Git hosting provides the real one (the file at the ref's commit); until then <see cref="StoredConfigSource"/>.
/// </summary>
public interface IPipelineConfigSource
{
    Task<PipelineInput?> ResolveAsync(ProjectRecord project, string gitRef, CancellationToken cancel);
}

/// <summary>The project's stored <c>.gitlab-ci.yml</c> (<see cref="IProjectStore.GetCiConfigAsync"/>), for any ref, at an all-zero sha.</summary>
public sealed class StoredConfigSource(IProjectStore store) : IPipelineConfigSource
{
    public async Task<PipelineInput?> ResolveAsync(ProjectRecord project, string gitRef, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await store.GetCiConfigAsync(project.Id, cancel) is { } yaml
            ? new PipelineInput(InMemoryConfigSource.Single(yaml), new PipelineContext { Ref = gitRef, Source = PipelineSource.Api })
            : null;
    }
}
