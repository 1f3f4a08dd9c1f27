using Relais.Dispatch;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>What a job does to its environment, as the job page says it (GitLab's environments block).</summary>
internal enum JobEnvironmentRole
{
    /// <summary>It made the environment's last successful deployment: "This job is deployed to …".</summary>
    Deployed,

    /// <summary>It succeeded, but a later deployment replaced it: "This job is an out-of-date deployment to …".</summary>
    OutOfDate,

    /// <summary>"The deployment of this job to … did not succeed."</summary>
    Failed,

    /// <summary>"The deployment of this job to … was canceled."</summary>
    Canceled,

    /// <summary>It has not finished yet: "This job is creating a deployment to …".</summary>
    Creating,

    /// <summary><c>action: stop</c>: "This job is stopping the environment …".</summary>
    Stopping,

    /// <summary><c>action: prepare</c>, <c>verify</c> or <c>access</c>: the environment is named but not deployed to.</summary>
    Other,
}

/// <summary>The box on a job's page: the role, the environment (its record when it exists), and the deployment it would replace or was replaced by.</summary>
internal sealed record JobEnvironmentView(JobEnvironmentRole Role, string Action, string Name, EnvironmentRecord? Environment, DeploymentRecord? Deployment, DeploymentRecord? LastSuccessful);

/// <summary>
/// Reads and writes the job page's environment box. The job's environment is its deployment's when the job made one,
/// else the name resolved from its plan as GitLab persists it (<see cref="JobEnvironments"/>). As GitLab, the job's own
/// status decides: success is "deployed" when its deployment is the environment's last successful one, else
/// "out-of-date"; failed "did not succeed"; anything not finished "creating".
/// </summary>
internal sealed class JobEnvironmentBox(IEnvironmentStore environments, IDeploymentStore deployments)
{
    /// <summary>The role of a job with <paramref name="action"/> in <paramref name="status"/>, given its deployment and the environment's last successful one.</summary>
    public static JobEnvironmentRole RoleOf(CiStatus status, string action, DeploymentRecord? deployment, DeploymentRecord? lastSuccessful) => action switch
    {
        "stop" => JobEnvironmentRole.Stopping,
        "start" => status switch
        {
            CiStatus.Success => lastSuccessful is null || lastSuccessful.Id == deployment?.Id ? JobEnvironmentRole.Deployed : JobEnvironmentRole.OutOfDate,
            CiStatus.Failed => JobEnvironmentRole.Failed,
            CiStatus.Canceled or CiStatus.Canceling or CiStatus.Skipped => JobEnvironmentRole.Canceled,
            _ => JobEnvironmentRole.Creating,
        },
        _ => JobEnvironmentRole.Other,
    };

    /// <summary>The box of <paramref name="job"/>, or null when it names no environment.</summary>
    public async Task<JobEnvironmentView?> ReadAsync(ProjectRecord project, JobRecord job, PipelineRecord pipeline, JobPlan? plan, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pipeline);
        var deployment = await deployments.FindByJobAsync(job.Id, cancel);
        var environment = deployment is null ? null : await environments.GetAsync(deployment.EnvironmentId, cancel);
        var resolved = deployment is null && plan?.Environment is not null && !string.IsNullOrEmpty(pipeline.ContextJson)
            ? JobEnvironments.Resolve(plan, StateJson.ReadContext(pipeline.ContextJson))
            : null;
        if (environment is null && resolved is null)
        {
            return null;
        }

        environment ??= await environments.FindAsync(project.Id, resolved!.Name, cancel);
        var action = deployment is not null ? "start" : resolved!.Action;
        var lastSuccessful = environment is null ? null : await deployments.LastAsync(environment.Id, DeploymentStatuses.Success, cancel);
        return new JobEnvironmentView(RoleOf(job.Status, action, deployment, lastSuccessful), action, environment?.Name ?? resolved!.Name, environment, deployment, lastSuccessful);
    }

    /// <summary>The box: one sentence with a link to the environment (and to the deployment it replaced or was replaced by).</summary>
    public static void Write(HtmlBuilder h, ProjectRecord project, JobEnvironmentView view)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(view);
        h.Raw("<p class=\"environment-box\" role=\"note\">");
        if (view.Deployment is { } d)
        {
            EnvironmentBadges.Deployment(h, d.Status);
            h.Raw(" ");
        }

        var linkHtml = new HtmlBuilder();
        if (view.Environment is { } e)
        {
            linkHtml.Add($"<a href=\"{EnvironmentHtml.Of(project, e.Id)}\">{e.Name}</a>");
        }
        else
        {
            linkHtml.Add($"<strong>{view.Name}</strong>");
        }

        var link = new RawHtml(linkHtml.ToString());
        var latestJob = view.LastSuccessful?.JobId;
        switch (view.Role)
        {
            case JobEnvironmentRole.Deployed:
                h.Add($"This job is deployed to {link}.");
                break;
            case JobEnvironmentRole.OutOfDate:
                h.Add($"This job is an out-of-date deployment to {link}.");
                if (latestJob is { } newer)
                {
                    h.Add($" View the <a href=\"{EnvironmentHtml.Job(project, newer)}\">most recent deployment</a>.");
                }

                break;
            case JobEnvironmentRole.Failed:
                h.Add($"The deployment of this job to {link} did not succeed.");
                break;
            case JobEnvironmentRole.Canceled:
                h.Add($"The deployment of this job to {link} was canceled.");
                break;
            case JobEnvironmentRole.Creating:
                h.Add($"This job is creating a deployment to {link}.");
                if (latestJob is { } older)
                {
                    h.Add($" This will overwrite the <a href=\"{EnvironmentHtml.Job(project, older)}\">latest deployment</a>.");
                }

                break;
            case JobEnvironmentRole.Stopping:
                h.Add($"This job is stopping the environment {link}.");
                break;
            default:
                h.Add($"This job uses the environment {link} (<code>action: {view.Action}</code>) without deploying to it.");
                break;
        }

        h.Raw("</p>");
    }
}
