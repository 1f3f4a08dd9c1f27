namespace Relais.Server.Web.Html;

/// <summary>
/// A status as an icon AND its word (never colour alone): <c>✓ passed</c>, <c>✗ failed</c>. The colour class is
/// extra; the text is what screen readers and colour-blind people read.
/// </summary>
internal static class StatusBadge
{
    public static void Write(HtmlBuilder html, string status)
    {
        ArgumentNullException.ThrowIfNull(html);
        var (icon, label) = Of(status);
        html.Add($"<span class=\"status status-{Css(status)}\"><span class=\"status-icon\" aria-hidden=\"true\">{icon}</span> {label}</span>");
    }

    /// <summary>The icon and the word GitLab shows for a status (<c>success</c> reads "passed").</summary>
    public static (string Icon, string Label) Of(string status) => status switch
    {
        "success" => ("✓", "passed"),
        "failed" => ("✗", "failed"),
        "running" => ("▶", "running"),
        "pending" => ("◷", "pending"),
        "created" => ("○", "created"),
        "canceled" => ("⊘", "canceled"),
        "canceling" => ("⊘", "canceling"),
        "skipped" => ("»", "skipped"),
        "manual" => ("⚙", "manual"),
        "scheduled" => ("⏲", "scheduled"),
        "waiting_for_resource" => ("⧗", "waiting for resource"),
        "preparing" => ("◷", "preparing"),
        "online" => ("●", "online"),
        "offline" => ("○", "offline"),
        "paused" => ("⏸", "paused"),
        "never_contacted" => ("?", "never contacted"),
        "public" => ("🌐", "public"),
        "private" => ("🔒", "private"),
        _ => ("•", status),
    };

    /// <summary>The statuses a pipeline can be filtered by.</summary>
    public static IReadOnlyList<string> PipelineStatuses { get; } =
        ["created", "waiting_for_resource", "preparing", "pending", "running", "success", "failed", "canceling", "canceled", "skipped", "manual", "scheduled"];

    private static string Css(string status) => PipelineStatuses.Contains(status) || status is "online" or "offline" or "paused" or "never_contacted" ? status : "other";
}
