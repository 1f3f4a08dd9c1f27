using Relais.Server.Api;
using Relais.Server.Storage;

namespace Relais.Server.Web.Html;

/// <summary>
/// A pipeline's commit statuses from outside systems, under the stage GitLab calls <c>external</c>: the latest status
/// of each name with its state, description and link (an http or https address, checked when it was reported;
/// opened without a referrer).
/// </summary>
internal static class ExternalStatuses
{
    public static void Write(HtmlBuilder h, IReadOnlyList<CommitStatusRecord> statuses)
    {
        if (statuses.Count == 0)
        {
            return;
        }

        h.Raw("<section class=\"external\" aria-labelledby=\"external-title\"><h2 id=\"external-title\">External</h2><ul>");
        foreach (var s in CommitPipelineStatus.Latest(statuses))
        {
            h.Raw("<li>");
            StatusBadge.Write(h, CommitPipelineStatus.Parse(s.Status));
            h.Add($" <strong>{s.Name}</strong>");
            if (!string.IsNullOrEmpty(s.Description))
            {
                h.Add($" — {s.Description}");
            }

            if (s.TargetUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            {
                h.Add($" <a href=\"{url}\" rel=\"noopener noreferrer nofollow\">details</a>");
            }

            h.Raw("</li>");
        }

        h.Raw("</ul></section>");
    }
}
