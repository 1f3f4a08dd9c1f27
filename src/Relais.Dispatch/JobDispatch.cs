using Relais.Pipelines.Context;
using Relais.Pipelines.Plan;
using Relais.Protocol.Jobs;

namespace Relais.Dispatch;

/// <summary>Everything needed to turn one planned job into the payload a runner receives.</summary>
public sealed record JobDispatch
{
    public required PipelinePlan Plan { get; init; }

    public required JobPlan Job { get; init; }

    public required PipelineContext Context { get; init; }

    public required long JobId { get; init; }

    public required string JobToken { get; init; }

    /// <summary>Where the runner clones from (a URL with the job token, or a local path for <c>relais run</c>).</summary>
    public required string RepoUrl { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>Jobs whose artifacts this one downloads (from <c>dependencies</c> or <c>needs:artifacts</c>).</summary>
    public IReadOnlyList<JobDependency> Dependencies { get; init; } = [];

    /// <summary>Variables from the dotenv reports of those jobs.</summary>
    public IReadOnlyList<PlanVariable> DotenvVariables { get; init; } = [];

    /// <summary>The variables a person gave when playing this manual job (or an earlier attempt of it): they come last, over every other.</summary>
    public IReadOnlyList<ContextVariable> PlayVariables { get; init; } = [];

    /// <summary>Whether a person started this job (a played manual job).</summary>
    public bool Manual { get; init; }

    /// <summary>The container registry jobs push to and pull from; null when there is none (no registry variables, no credentials).</summary>
    public JobRegistry? Registry { get; init; }

    /// <summary>The cluster setting covering the job's environment (its <c>KUBE_*</c> variables and <c>KUBECONFIG</c>); null: none.</summary>
    public JobKubernetes? Kubernetes { get; init; }

    /// <summary>The timeout when the job sets none (GitLab's project default: one hour).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromHours(1);
}
