namespace Relais.Server.Environments;

/// <summary>
/// Protected environments, checked when a runner asks for a job: a job whose <c>environment:</c> (any action) names a
/// protected environment of its project is failed with <see cref="Reason"/> when the user who caused its pipeline may
/// not deploy there (<see cref="DeployAccess"/>); a deploy job whose environment needs approvals waits (its deployment
/// <c>blocked</c>, the job left pending and passed by) until enough users approved it, and is failed with
/// <see cref="RejectedReason"/> when one rejected it.
/// </summary>
public sealed class ProtectedEnvironmentCheck(DeployAccess access)
{
    /// <summary>GitLab's failure reason for a job its user may not run on a protected environment.</summary>
    public const string Reason = "protected_environment_failure";

    /// <summary>GitLab's words for <see cref="Reason"/>.</summary>
    public const string Message = "The environment this job is deploying to is protected. Only users with permission may successfully run this job.";

    /// <summary>GitLab's failure reason for a deploy job whose deployment was rejected.</summary>
    public const string RejectedReason = "deployment_rejected";

    public async Task<DeployVerdict> CheckAsync(DeployCandidate candidate, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (await access.ProtectionAsync(candidate.Job.ProjectId, candidate.Environment.Name, cancel) is not { } protection)
        {
            return DeployVerdict.Pass;
        }

        if (!await access.AllowsAsync(protection, candidate.Pipeline.UserId, cancel))
        {
            return DeployVerdict.Fail(Reason);
        }

        if (!candidate.Environment.Deploys || protection.RequiredApprovalCount <= 0)
        {
            return DeployVerdict.Pass;
        }

        if (await candidate.DeploymentAsync(cancel) is not { } own)
        {
            return DeployVerdict.Hold; // no deployment to approve yet: wait for it
        }

        if (await access.RejectedAsync(own, cancel))
        {
            return DeployVerdict.Fail(RejectedReason);
        }

        return await access.BlockIfAwaitingAsync(own, cancel) ? DeployVerdict.Hold : DeployVerdict.Pass;
    }
}
