namespace Relais.Server.Storage;

/// <summary>
/// A protected environment of a project (GitLab's <c>ProtectedEnvironment</c>): an exact environment name, who may
/// deploy to it (<see cref="DeployAccessLevels"/>: any of them is enough) and how many approvals a deployment to it
/// needs before its job runs (<see cref="RequiredApprovalCount"/>, 0: none).
/// </summary>
public sealed record ProtectedEnvironmentRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Name { get; init; } = "";

    public int RequiredApprovalCount { get; init; }

    public IReadOnlyList<DeployAccessLevelRecord> DeployAccessLevels { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One way to be allowed to deploy: a role (<see cref="AccessLevel"/> 30, 40 or 60), a user, or a group's direct members.</summary>
public sealed record DeployAccessLevelRecord
{
    /// <summary>0 for one not stored yet.</summary>
    public long Id { get; init; }

    public int? AccessLevel { get; init; }

    public long? UserId { get; init; }

    public long? GroupId { get; init; }
}

/// <summary>One user's approval or rejection of a blocked deployment (GitLab's <c>Deployments::Approval</c>; one per user and deployment).</summary>
public sealed record DeploymentApprovalRecord
{
    public long Id { get; init; }

    public long DeploymentId { get; init; }

    public long UserId { get; init; }

    /// <summary><see cref="DeploymentApprovalStatuses.Approved"/> or <see cref="DeploymentApprovalStatuses.Rejected"/>.</summary>
    public string Status { get; init; } = DeploymentApprovalStatuses.Approved;

    public string? Comment { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>GitLab's approval statuses.</summary>
public static class DeploymentApprovalStatuses
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
}
