using Relais.Protocol;

namespace Relais.Server.Web.Html;

/// <summary>
/// A status as an icon AND its word (never colour alone): <c>✓ passed</c>, <c>✗ failed</c>. The colour class is
/// extra; the text is what screen readers and colour-blind people read.
/// </summary>
internal static class StatusBadge
{
    /// <summary>A job's or a pipeline's status.</summary>
    public static void Write(HtmlBuilder html, CiStatus status) => Write(html, status.ToGitLab(), Of(status));

    /// <summary>A runner's state (<c>online</c>, <c>paused</c>, ...) or a project's visibility.</summary>
    public static void Write(HtmlBuilder html, string state) =>
        Write(html, state is "online" or "offline" or "paused" or "never_contacted" ? state : "other", Of(state));

    /// <summary>The icon and the word GitLab shows for a status (<c>success</c> reads "passed").</summary>
    public static (string Icon, string Label) Of(CiStatus status) => status switch
    {
        CiStatus.Success => ("✓", "passed"),
        CiStatus.Failed => ("✗", "failed"),
        CiStatus.Running => ("▶", "running"),
        CiStatus.Pending => ("◷", "pending"),
        CiStatus.Created => ("○", "created"),
        CiStatus.Canceled => ("⊘", "canceled"),
        CiStatus.Canceling => ("⊘", "canceling"),
        CiStatus.Skipped => ("»", "skipped"),
        CiStatus.Manual => ("⚙", "manual"),
        CiStatus.Scheduled => ("⏲", "scheduled"),
        CiStatus.WaitingForResource => ("⧗", "waiting for resource"),
        CiStatus.Preparing => ("◷", "preparing"),
        _ => ("•", status.ToGitLab()),
    };

    /// <summary>The icon and the word for a runner's state or a project's visibility.</summary>
    public static (string Icon, string Label) Of(string state) => state switch
    {
        "online" => ("●", "online"),
        "offline" => ("○", "offline"),
        "paused" => ("⏸", "paused"),
        "never_contacted" => ("?", "never contacted"),
        "public" => ("🌐", "public"),
        "private" => ("🔒", "private"),
        _ => ("•", state),
    };

    /// <summary>The statuses a pipeline can be filtered by.</summary>
    public static IReadOnlyList<CiStatus> PipelineStatuses => CiStatusNames.All;

    private static void Write(HtmlBuilder html, string css, (string Icon, string Label) badge)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Add($"<span class=\"status status-{css}\"><span class=\"status-icon\" aria-hidden=\"true\">{badge.Icon}</span> {badge.Label}</span>");
    }
}
