using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The jobs of a pipeline as a graph: one column per stage, one card per job (status icon and word, duration,
/// attempts, play/retry), and each job's <c>needs</c> written as links; <c>relais.js</c> draws the needs as
/// lines between the cards. Built from the engine state and the job rows in one pass (a 500-job pipeline is one
/// dictionary lookup per job).
/// </summary>
internal static class PipelineGraph
{
    public sealed record Input(ProjectRecord Project, PipelineState State, IReadOnlyList<JobRecord> Rows, WebViewer Viewer, bool CanWrite, DateTimeOffset Now);

    public static void Write(HtmlBuilder h, Input input)
    {
        var plan = input.State.Plan;
        var index = new Dictionary<string, int>(plan.Jobs.Length, StringComparer.Ordinal);
        for (var i = 0; i < plan.Jobs.Length; i++)
        {
            index[plan.Jobs[i].Name] = i;
        }

        var rows = new Dictionary<(string, int), long>(input.Rows.Count);
        foreach (var row in input.Rows)
        {
            rows[(row.Name, row.Attempt)] = row.Id;
        }

        var current = new Dictionary<string, JobState>(plan.Jobs.Length, StringComparer.Ordinal);
        foreach (var job in input.State.Jobs)
        {
            if (!job.Retried)
            {
                current[job.Name] = job;
            }
        }

        h.Raw("<section class=\"graph\" aria-label=\"Jobs by stage\"><div class=\"stages\">");
        foreach (var stage in plan.Stages)
        {
            var inStage = plan.Jobs.Where(j => j.Stage == stage).ToList();
            if (inStage.Count == 0)
            {
                continue;
            }

            h.Add($"<section class=\"stage\"><h2 class=\"stage-name\">{stage}</h2><ul class=\"jobs\">");
            foreach (var planJob in inStage)
            {
                if (!current.TryGetValue(planJob.Name, out var job))
                {
                    continue;
                }

                var i = index[planJob.Name];
                var needs = planJob.Needs is { } n ? n.Where(x => index.ContainsKey(x.Job)).Select(x => index[x.Job]).ToList() : [];
                h.Add($"<li class=\"job-card\" id=\"job-{i}\" data-needs=\"{string.Join(' ', needs)}\">");
                StatusBadge.Write(h, job.Status);
                var link = rows.TryGetValue((job.Name, job.Attempt), out var id) ? $"/{input.Project.Path}/-/jobs/{id}" : null;
                if (link is not null)
                {
                    h.Add($" <a class=\"job-name\" href=\"{link}\">{planJob.Name}</a>");
                }
                else
                {
                    h.Add($" <span class=\"job-name\">{planJob.Name}</span>");
                }

                var duration = job.StartedAt is { } started ? (job.FinishedAt ?? input.Now) - started : (TimeSpan?)null;
                h.Add($"<span class=\"job-meta\">{Format.Duration(duration)}{(job.Attempt > 1 ? $" · attempt {job.Attempt}" : "")}{(job.HasWarning ? " · allowed to fail" : "")}</span>");
                if (needs.Count > 0)
                {
                    h.Raw("<span class=\"needs\">needs ");
                    foreach (var need in needs)
                    {
                        h.Add($"<a href=\"#job-{need}\">{plan.Jobs[need].Name}</a> ");
                    }

                    h.Raw("</span>");
                }

                if (input.CanWrite && id != 0)
                {
                    Actions(h, input, job, planJob.Name, id);
                }

                h.Raw("</li>");
            }

            h.Raw("</ul></section>");
        }

        h.Raw("</div><svg class=\"edges\" aria-hidden=\"true\"></svg></section>");
    }

    private static void Actions(HtmlBuilder h, Input input, JobState job, string name, long id)
    {
        var root = $"/{input.Project.Path}/-/jobs/{id}";
        var back = $"/{input.Project.Path}/-/pipelines/{input.State.Id}";
        if (job.Status == CiStatus.Manual)
        {
            Layout.ActionButton(h, input.Viewer, root + "/play", "▶ Play", "Play " + name, "button small", back);
        }
        else if (job.Status is CiStatus.Failed or CiStatus.Canceled)
        {
            Layout.ActionButton(h, input.Viewer, root + "/retry", "↻ Retry", "Retry " + name, "button small", back);
        }
        else if (job.Status is CiStatus.Pending or CiStatus.Running)
        {
            Layout.ActionButton(h, input.Viewer, root + "/cancel", "⊘ Cancel", "Cancel " + name, "button small", back);
        }
    }
}
