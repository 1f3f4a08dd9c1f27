using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Web.Environments;

/// <summary>What a page shows about one deployment besides its own row: its job, the job's pipeline, the commit's title and who deployed.</summary>
internal sealed record DeploymentFact(DeploymentRecord Deployment, JobRecord? Job, string? CommitTitle, UserRecord? User);

/// <summary>
/// Reads the facts of deployments for one page: each job, pipeline and user is read once per request however many
/// deployments name it.
/// </summary>
internal sealed class DeploymentFacts(IPipelineStore pipelines, IIdentityStore identity)
{
    private readonly Dictionary<long, string?> _titles = [];
    private readonly Dictionary<long, UserRecord?> _users = [];

    public async Task<DeploymentFact> OfAsync(DeploymentRecord deployment, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var job = deployment.JobId is { } jobId ? await pipelines.GetJobAsync(jobId, cancel) : null;
        return new DeploymentFact(deployment, job, await TitleAsync(deployment.PipelineId, cancel), await UserAsync(deployment.UserId, cancel));
    }

    public async Task<IReadOnlyList<DeploymentFact>> OfAsync(IEnumerable<DeploymentRecord> deployments, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        var facts = new List<DeploymentFact>();
        foreach (var d in deployments)
        {
            facts.Add(await OfAsync(d, cancel));
        }

        return facts;
    }

    private async Task<string?> TitleAsync(long? pipelineId, CancellationToken cancel)
    {
        if (pipelineId is not { } id)
        {
            return null;
        }

        if (!_titles.TryGetValue(id, out var title))
        {
            var row = await pipelines.GetPipelineAsync(id, cancel);
            var message = string.IsNullOrEmpty(row?.ContextJson) ? "" : StateJson.ReadContext(row.ContextJson).CommitMessage;
            title = _titles[id] = message.Length == 0 ? null : message.Split('\n')[0].TrimEnd('\r');
        }

        return title;
    }

    private async Task<UserRecord?> UserAsync(long? userId, CancellationToken cancel)
    {
        if (userId is not { } id)
        {
            return null;
        }

        if (!_users.TryGetValue(id, out var user))
        {
            user = _users[id] = await identity.GetUserAsync(id, cancel);
        }

        return user;
    }
}
