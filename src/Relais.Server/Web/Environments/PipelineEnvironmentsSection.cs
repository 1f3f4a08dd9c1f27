using Relais.Dispatch;
using Relais.Engine;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>One job of a pipeline that names an environment: what it does there and the deployment it made, if any.</summary>
internal sealed record PipelineEnvironmentJob(JobRecord Job, string Name, string Action, EnvironmentRecord? Environment, DeploymentRecord? Deployment);

/// <summary>
/// The pipeline page's "Environments" section: each current job with an <c>environment:</c>, linked to it, with what it
/// does (deploys, stops, prepares…) and its deployment's number and status.
/// </summary>
internal sealed class PipelineEnvironmentsSection(IEnvironmentStore environments, IDeploymentStore deployments)
{
    public async Task<IReadOnlyList<PipelineEnvironmentJob>> ReadAsync(ProjectRecord project, PipelineRecord pipeline, PipelineState state, IReadOnlyList<JobRecord> jobs, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(jobs);
        var named = state.Plan.Jobs.Where(j => j.Environment is not null).ToDictionary(j => j.Name, StringComparer.Ordinal);
        if (named.Count == 0 || string.IsNullOrEmpty(pipeline.ContextJson))
        {
            return [];
        }

        var context = StateJson.ReadContext(pipeline.ContextJson);
        var byName = (await environments.ListAsync(project.Id, new EnvironmentFilter(), cancel)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var byId = byName.Values.ToDictionary(e => e.Id);
        var current = jobs.GroupBy(j => j.Name, StringComparer.Ordinal).Select(g => g.MaxBy(j => j.Attempt)!);
        var list = new List<PipelineEnvironmentJob>();
        foreach (var job in current)
        {
            if (!named.TryGetValue(job.Name, out var plan) || JobEnvironments.Resolve(plan, context) is not { } resolved)
            {
                continue;
            }

            var deployment = await deployments.FindByJobAsync(job.Id, cancel);
            var environment = deployment is not null && byId.TryGetValue(deployment.EnvironmentId, out var deployedTo) ? deployedTo : byName.GetValueOrDefault(resolved.Name);
            list.Add(new PipelineEnvironmentJob(job, environment?.Name ?? resolved.Name, resolved.Action, environment, deployment));
        }

        return list;
    }

    public static void Write(HtmlBuilder h, ProjectRecord project, IReadOnlyList<PipelineEnvironmentJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        h.Raw("<section class=\"pipeline-environments\" aria-labelledby=\"environments-title\"><h2 id=\"environments-title\">Environments</h2><ul>");
        foreach (var j in jobs)
        {
            h.Add($"<li data-job=\"{j.Job.Name}\"><a href=\"{EnvironmentHtml.Job(project, j.Job.Id)}\">{j.Job.Name}</a> {Verb(j.Action)} ");
            if (j.Environment is { } e)
            {
                h.Add($"<a href=\"{EnvironmentHtml.Of(project, e.Id)}\">{e.Name}</a>");
            }
            else
            {
                h.Add($"<strong>{j.Name}</strong>");
            }

            if (j.Deployment is { } d)
            {
                h.Add($" · deployment #{d.Iid} ");
                EnvironmentBadges.Deployment(h, d.Status);
            }

            h.Raw("</li>");
        }

        h.Raw("</ul></section>");
    }

    private static string Verb(string action) => action switch
    {
        "start" => "deploys to",
        "stop" => "stops",
        "prepare" => "prepares",
        "verify" => "verifies",
        "access" => "accesses",
        _ => "uses",
    };
}
