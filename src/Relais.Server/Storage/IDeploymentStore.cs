namespace Relais.Server.Storage;

/// <summary>Deployments (<c>deployments</c>), per project, each to one environment.</summary>
public interface IDeploymentStore
{
    /// <summary>Records a deployment with the project's next iid.</summary>
    Task<DeploymentRecord> CreateAsync(NewDeployment deployment, DateTimeOffset now, CancellationToken cancel = default);

    Task<DeploymentRecord?> GetAsync(long id, CancellationToken cancel = default);

    /// <summary>The deployment a job makes, if any.</summary>
    Task<DeploymentRecord?> FindByJobAsync(long jobId, CancellationToken cancel = default);

    /// <summary>A page of the project's deployments matching <paramref name="filter"/>, and how many match in all.</summary>
    Task<(IReadOnlyList<DeploymentRecord> Page, int Total)> ListAsync(long projectId, DeploymentFilter filter, int offset, int limit, CancellationToken cancel = default);

    /// <summary>The environment's latest deployment (highest id), or its latest in <paramref name="status"/> when given.</summary>
    Task<DeploymentRecord?> LastAsync(long environmentId, string? status = null, CancellationToken cancel = default);

    /// <summary>
    /// Moves the deployment to <paramref name="status"/> (a finished status sets its finish time); false when it does not
    /// exist or is already in a finished status other than the one given (a finished deployment stays finished).
    /// </summary>
    Task<bool> UpdateStatusAsync(long id, string status, DateTimeOffset now, CancellationToken cancel = default);

    Task<bool> DeleteAsync(long id, CancellationToken cancel = default);

    /// <summary>The pipelines of deployments made by a job and not finished yet (created, running, blocked), any project.</summary>
    Task<IReadOnlyList<long>> UnfinishedPipelinesAsync(CancellationToken cancel = default);
}
