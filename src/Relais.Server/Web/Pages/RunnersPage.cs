using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// <c>/admin/runners</c> (administrators): the instance's registration token (for <c>gitlab-runner register
/// --registration-token</c> and <c>relais runner register</c>), and each runner's type, status, tags, last contact and the jobs it runs now.
/// </summary>
internal sealed class RunnersPage(WebGuard guard, IRunnerStore runnerStore, RunnerApi.RegistrationTokens registration, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/admin/runners", Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: true, async viewer =>
        {
            var runners = await runnerStore.ListRunnersAsync(http.RequestAborted);
            var jobs = (await runnerStore.ProcessingJobsAsync(http.RequestAborted)).ToLookup(j => j.RunnerId);
            var now = time.GetUtcNow();
            var registrationToken = await registration.InstanceTokenAsync(http.RequestAborted);
            return Layout.Page(viewer, "Runners", h =>
            {
                h.Raw("<h1>Runners</h1>");
                h.Add($"<p>Registration token (legacy <code>POST /api/v4/runners</code>): <code class=\"registration-token\">{registrationToken}</code></p>");
                if (runners.Count == 0)
                {
                    h.Raw("<p>No runners are registered.</p>");
                    return;
                }

                h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Runner</th><th scope=\"col\">Status</th><th scope=\"col\">Tags</th><th scope=\"col\">Last contact</th><th scope=\"col\">Current jobs</th></tr></thead><tbody>");
                foreach (var r in runners)
                {
                    var view = ApiViews.Runner(r, now);
                    var contacted = Format.Parse(r.ContactedAt);
                    h.Add($"<tr><td data-label=\"Runner\">#{r.Id} {r.Description} <small>{r.RunnerType}</small></td><td data-label=\"Status\">");
                    StatusBadge.Write(h, r.Paused ? "paused" : view.Status);
                    h.Add($"</td><td data-label=\"Tags\">{(r.TagList.Count == 0 ? "untagged" : string.Join(", ", r.TagList))}{(r.RunUntagged && r.TagList.Count > 0 ? " (and untagged)" : "")}</td>");
                    h.Add($"<td data-label=\"Last contact\"><time datetime=\"{Format.Iso(contacted)}\">{(contacted is null ? "never" : Format.Age(contacted, now))}</time></td><td data-label=\"Current jobs\">");
                    var current = jobs[r.Id].ToList();
                    if (current.Count == 0)
                    {
                        h.Raw("none");
                    }

                    foreach (var j in current)
                    {
                        h.Add($"<a href=\"/{j.ProjectPath}/-/jobs/{j.Id}\">{j.ProjectPath} #{j.Id} {j.Name}</a> ");
                    }

                    h.Raw("</td></tr>");
                }

                h.Raw("</tbody></table>");
            });
        }));
}
