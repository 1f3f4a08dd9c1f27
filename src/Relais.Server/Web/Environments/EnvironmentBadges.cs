using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>
/// A deployment's status and an environment's state as an icon and a word (never colour alone), in the markup of
/// <see cref="StatusBadge"/> so the same colours apply: <c>✓ success</c>, <c>◷ stopping</c>.
/// </summary>
internal static class EnvironmentBadges
{
    /// <summary>A deployment's status (GitLab's words: created, running, success, failed, canceled, skipped, blocked).</summary>
    public static void Deployment(HtmlBuilder html, string status)
    {
        var (css, icon) = status switch
        {
            DeploymentStatuses.Success => ("success", "✓"),
            DeploymentStatuses.Failed => ("failed", "✗"),
            DeploymentStatuses.Running => ("running", "▶"),
            DeploymentStatuses.Created => ("created", "○"),
            DeploymentStatuses.Canceled => ("canceled", "⊘"),
            DeploymentStatuses.Skipped => ("skipped", "»"),
            DeploymentStatuses.Blocked => ("manual", "⏸"),
            _ => ("other", "•"),
        };
        Write(html, css, icon, status);
    }

    /// <summary>An environment's state: available, stopping (its stop job runs) or stopped.</summary>
    public static void State(HtmlBuilder html, string state)
    {
        var (css, icon) = state switch
        {
            EnvironmentStates.Available => ("success", "●"),
            EnvironmentStates.Stopping => ("running", "◷"),
            _ => ("canceled", "■"),
        };
        Write(html, css, icon, state);
    }

    private static void Write(HtmlBuilder html, string css, string icon, string word)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Add($"<span class=\"status status-{css}\"><span class=\"status-icon\" aria-hidden=\"true\">{icon}</span> {word}</span>");
    }
}
