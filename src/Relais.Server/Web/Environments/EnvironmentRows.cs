using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>An environment as a row of the environments pages, with its last deployment (null: none yet).</summary>
internal sealed record EnvironmentRow(EnvironmentRecord Environment, DeploymentFact? LastDeployment);

/// <summary>
/// The table of environments the index and folder pages share: name (a link), state, tier, the last deployment, the
/// external URL and auto-stop time, and a Stop button for Developers (a disclosure that asks first, then the POST).
/// </summary>
internal static class EnvironmentRows
{
    public static async Task<IReadOnlyList<EnvironmentRow>> ReadAsync(IDeploymentStore deployments, DeploymentFacts facts, IEnumerable<EnvironmentRecord> environments, CancellationToken cancel)
    {
        var rows = new List<EnvironmentRow>();
        foreach (var e in environments)
        {
            var last = await deployments.LastAsync(e.Id, cancel: cancel);
            rows.Add(new EnvironmentRow(e, last is null ? null : await facts.OfAsync(last, cancel)));
        }

        return rows;
    }

    public static void TableStart(HtmlBuilder h, bool actions)
    {
        ArgumentNullException.ThrowIfNull(h);
        h.Raw("<table class=\"list environments\"><thead><tr><th scope=\"col\">Environment</th><th scope=\"col\">Tier</th><th scope=\"col\">Last deployment</th><th scope=\"col\">URL</th>");
        h.Raw(actions ? "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>" : "</tr></thead><tbody>");
    }

    public static void TableEnd(HtmlBuilder h) => h.Raw("</tbody></table>");

    public static void Write(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRow row, string returnTo, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(row);
        var e = row.Environment;
        h.Add($"<tr data-environment=\"{e.Name}\"><td data-label=\"Environment\"><a href=\"{EnvironmentHtml.Of(project, e.Id)}\">{e.Name}</a> ");
        EnvironmentBadges.State(h, e.State);
        h.Add($"</td><td data-label=\"Tier\"><span class=\"tag-label\">{e.Tier}</span></td><td data-label=\"Last deployment\">");
        if (row.LastDeployment is { } last)
        {
            EnvironmentHtml.Summary(h, project, last, now);
        }
        else
        {
            h.Raw("No deployments yet");
        }

        h.Raw("</td><td data-label=\"URL\">");
        EnvironmentHtml.ExternalUrl(h, e.ExternalUrl);
        if (e.AutoStopAt is not null && e.State == EnvironmentStates.Available)
        {
            h.Raw(" ");
            EnvironmentHtml.AutoStop(h, e.AutoStopAt, now);
        }

        h.Raw("</td>");
        if (viewer.Caller.Has(project, AccessLevel.Developer))
        {
            h.Raw("<td>");
            StopButton(h, viewer, project, e, returnTo);
            h.Raw("</td>");
        }

        h.Raw("</tr>");
    }

    /// <summary>
    /// Stop, asked first without script: a disclosure whose panel says what happens and holds the POST form. An
    /// environment that is stopping says so instead; a stopped one has no button.
    /// </summary>
    public static void StopButton(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, string returnTo)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(e);
        if (e.State == EnvironmentStates.Stopping)
        {
            h.Raw("<span class=\"stopping\">Stopping…</span>");
            return;
        }

        if (e.State != EnvironmentStates.Available)
        {
            return;
        }

        h.Add($"<details class=\"confirm\"><summary class=\"button small danger\" aria-label=\"Stop {e.Name}\">Stop</summary><form method=\"post\" action=\"{EnvironmentHtml.Of(project, e.Id)}/stop\">");
        Layout.Csrf(h, viewer);
        h.Add($"<input type=\"hidden\" name=\"return_to\" value=\"{returnTo}\">");
        h.Add($"<p>Stop <strong>{e.Name}</strong>? Its stop job (<code>on_stop</code>) runs if it has one; the environment is stopped once it succeeds.</p>");
        h.Add($"<button type=\"submit\" class=\"button danger\" aria-label=\"Stop environment {e.Name}\">Stop environment</button></form></details>");
    }
}
