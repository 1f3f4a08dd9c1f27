namespace Relais.Server.Storage;

/// <summary>
/// One environment of a project (GitLab's <c>Environment</c>): made by the first job that names it, or through the API.
/// <see cref="State"/> is <c>available</c>, <c>stopping</c> (its stop job runs) or <c>stopped</c>.
/// </summary>
public sealed record EnvironmentRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    /// <summary>The expanded name (<c>review/feature-x</c>); unique in its project.</summary>
    public string Name { get; init; } = "";

    /// <summary>GitLab's slug of <see cref="Name"/> (<c>Relais.Pipelines.Context.EnvironmentSlug</c>); unique in its project.</summary>
    public string Slug { get; init; } = "";

    public string? ExternalUrl { get; init; }

    /// <summary><c>production</c>, <c>staging</c>, <c>testing</c>, <c>development</c> or <c>other</c>.</summary>
    public string Tier { get; init; } = "other";

    public string State { get; init; } = EnvironmentStates.Available;

    /// <summary>When <c>auto_stop_in</c> stops it (set by a successful deployment); null: never.</summary>
    public DateTimeOffset? AutoStopAt { get; init; }

    /// <summary><c>environment:kubernetes:namespace</c> of its last deployment job, if any.</summary>
    public string? KubernetesNamespace { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The folder the UI groups it in: the part of the name before the first <c>/</c> (GitLab's <c>environment_type</c>), or null.</summary>
    public string? Folder => Name.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? Name[..slash] : null;
}

/// <summary>The states of an environment, as GitLab names them.</summary>
public static class EnvironmentStates
{
    public const string Available = "available";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
}

/// <summary>
/// One deployment (GitLab's <c>Deployment</c>): a job with <c>environment:action: start</c> (<see cref="JobId"/> set), or one
/// recorded through the API for a deployment made outside a job (GitOps). <see cref="Iid"/> counts per project.
/// </summary>
public sealed record DeploymentRecord
{
    public long Id { get; init; }

    public long Iid { get; init; }

    public long ProjectId { get; init; }

    public long EnvironmentId { get; init; }

    /// <summary>The job that deploys (<c>deployable</c>); null for one made through the API, or when the job was deleted.</summary>
    public long? JobId { get; init; }

    public long? PipelineId { get; init; }

    public string Ref { get; init; } = "";

    public bool Tag { get; init; }

    public string Sha { get; init; } = "";

    public long? UserId { get; init; }

    public string Status { get; init; } = DeploymentStatuses.Created;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it reached <c>success</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>A deployment to record (<see cref="IDeploymentStore.CreateAsync"/> gives it its id and iid).</summary>
public sealed record NewDeployment(long ProjectId, long EnvironmentId, long? JobId, long? PipelineId, string Ref, bool Tag, string Sha, long? UserId, string Status);

/// <summary>GitLab's deployment statuses.</summary>
public static class DeploymentStatuses
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Skipped = "skipped";
    public const string Blocked = "blocked";

    /// <summary>Whether a deployment in <paramref name="status"/> is over (it has a finish time).</summary>
    public static bool IsFinished(string status) => status is Success or Failed or Canceled or Skipped;

    public static bool IsKnown(string status) => status is Created or Running or Success or Failed or Canceled or Skipped or Blocked;
}

/// <summary>Which environments <see cref="IEnvironmentStore.ListAsync"/> answers (GitLab's <c>name</c>, <c>search</c>, <c>states</c>).</summary>
public sealed record EnvironmentFilter(string? Name = null, string? Search = null, string? State = null);

/// <summary>
/// Which deployments <see cref="IDeploymentStore.ListAsync"/> answers and in which order (GitLab's <c>environment</c>,
/// <c>status</c>, <c>updated_after/before</c>, <c>finished_after/before</c>, <c>order_by</c> = id, iid, created_at,
/// updated_at, finished_at or ref, <c>sort</c>).
/// </summary>
public sealed record DeploymentFilter
{
    public long? EnvironmentId { get; init; }

    public string? Status { get; init; }

    public DateTimeOffset? UpdatedAfter { get; init; }

    public DateTimeOffset? UpdatedBefore { get; init; }

    public DateTimeOffset? FinishedAfter { get; init; }

    public DateTimeOffset? FinishedBefore { get; init; }

    public string OrderBy { get; init; } = "id";

    public bool Ascending { get; init; } = true;
}
