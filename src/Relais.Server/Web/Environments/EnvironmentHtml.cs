using System.Globalization;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Environments;

/// <summary>The addresses of the environment pages, and the pieces of HTML they share (a deployment's summary, the external URL, the auto-stop time).</summary>
internal static class EnvironmentHtml
{
    public static string Index(ProjectRecord project, bool stopped = false) =>
        $"/{project.Path}/-/environments{(stopped ? "?scope=stopped" : "")}";

    public static string Folder(ProjectRecord project, string folder, bool stopped = false) =>
        $"/{project.Path}/-/environments/folders/{Uri.EscapeDataString(folder)}{(stopped ? "?scope=stopped" : "")}";

    public static string Of(ProjectRecord project, long environmentId) => $"/{project.Path}/-/environments/{environmentId}";

    public static string Job(ProjectRecord project, long jobId) => $"/{project.Path}/-/jobs/{jobId}";

    /// <summary>
    /// One deployment in a line: <c>#iid</c>, status, its job and the job's pipeline, the commit (short sha and title),
    /// who and when.
    /// </summary>
    public static void Summary(HtmlBuilder h, ProjectRecord project, DeploymentFact fact, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(fact);
        var d = fact.Deployment;
        h.Add($"<span class=\"deployment\" data-deployment=\"{d.Iid}\"><strong>#{d.Iid}</strong> ");
        EnvironmentBadges.Deployment(h, d.Status);
        Job(h, project, fact);
        if (d.PipelineId is { } pid)
        {
            h.Add($" · pipeline <a href=\"/{project.Path}/-/pipelines/{pid}\">#{pid}</a>");
        }

        h.Raw(" · ");
        Commit(h, project, fact);
        if (fact.User is { } user)
        {
            h.Add($" · by {user.Username}");
        }

        h.Raw(" · ");
        RepositoryHtml.Age(h, d.FinishedAt ?? d.CreatedAt, now);
        h.Raw("</span>");
    }

    /// <summary>The deployment's job as a link (<c>deploy #12</c>), or "no job" for one recorded through the API.</summary>
    public static void Job(HtmlBuilder h, ProjectRecord project, DeploymentFact fact)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(fact);
        if (fact.Job is { } job)
        {
            h.Add($" · job <a href=\"{Job(project, job.Id)}\">{job.Name} #{job.Id}</a>");
        }
        else
        {
            h.Raw(" · no job");
        }
    }

    /// <summary>The short sha (a link to the commit) and the commit's title when the pipeline recorded one.</summary>
    public static void Commit(HtmlBuilder h, ProjectRecord project, DeploymentFact fact)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(fact);
        var sha = fact.Deployment.Sha;
        if (sha.Length == 0)
        {
            h.Raw("no commit");
            return;
        }

        h.Add($"<a href=\"{RepositoryLinks.Commit(project, sha)}\"><code>{Format.ShortSha(sha)}</code></a>");
        if (fact.CommitTitle is { } title)
        {
            h.Add($" <span class=\"commit-title\">{title}</span>");
        }
    }

    /// <summary>
    /// The external URL as a link that opens without handing this page to the site (<c>noopener noreferrer</c>); only
    /// http and https addresses become links, anything else is shown as text.
    /// </summary>
    public static void ExternalUrl(HtmlBuilder h, string? url)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            h.Add($"<a class=\"external-url\" href=\"{url}\" rel=\"noopener noreferrer\" target=\"_blank\">{url}</a>");
        }
        else
        {
            h.Add($"<code class=\"external-url\">{url}</code>");
        }
    }

    /// <summary>When <c>auto_stop_in</c> stops it: "Auto stop in 2 days" (or "Auto stop due" once the time has passed).</summary>
    public static void AutoStop(HtmlBuilder h, DateTimeOffset? at, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (at is not { } t)
        {
            return;
        }

        h.Add($"<span class=\"auto-stop\">Auto stop <time datetime=\"{Format.Iso(t)}\">{Until(t, now)}</time></span>");
    }

    /// <summary><c>in 5 minutes</c>, <c>in 3 hours</c>, <c>in 2 days</c>; <c>due</c> once the time has come.</summary>
    public static string Until(DateTimeOffset at, DateTimeOffset now)
    {
        var d = at - now;
        return d.TotalSeconds < 30 ? "due"
            : d.TotalMinutes < 90 ? In((int)Math.Max(1, Math.Round(d.TotalMinutes)), "minute")
            : d.TotalHours < 36 ? In((int)Math.Round(d.TotalHours), "hour")
            : In((int)Math.Round(d.TotalDays), "day");
    }

    private static string In(int n, string unit) => string.Create(CultureInfo.InvariantCulture, $"in {n} {unit}{(n == 1 ? "" : "s")}");
}
