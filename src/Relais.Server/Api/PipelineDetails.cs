using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A single pipeline's view (<see cref="PipelineDetailView"/>) with the user who caused it (null when unknown).</summary>
internal sealed class PipelineDetails(PipelineUsers users, string externalUrl)
{
    public async Task<PipelineDetailView> OfAsync(PipelineSnapshot snapshot, ProjectRecord project, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var user = await users.RecordedAsync(snapshot.Row.UserId, cancel) is { } u ? ApiViews.User(u, externalUrl) : null;
        return ApiViews.PipelineDetail(snapshot, project, externalUrl, user);
    }
}
