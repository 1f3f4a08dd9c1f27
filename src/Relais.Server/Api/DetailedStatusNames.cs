using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Api;

/// <summary>
/// A pipeline's <c>detailed_status</c> in GitLab's words: per status its icon, text, label and group (a success with
/// failed jobs that were allowed to fail is GitLab's "passed with warnings"), the pipeline page as details, and the favicon.
/// </summary>
internal static class DetailedStatusNames
{
    public static DetailedStatusView Of(CiStatus status, bool warnings, string detailsPath)
    {
        var (icon, text, label, group) = status switch
        {
            CiStatus.Success when warnings => ("status_warning", "warning", "passed with warnings", "success-with-warnings"),
            CiStatus.Success => ("status_success", "passed", "passed", "success"),
            CiStatus.Failed => ("status_failed", "failed", "failed", "failed"),
            CiStatus.Running => ("status_running", "running", "running", "running"),
            CiStatus.Pending => ("status_pending", "pending", "pending", "pending"),
            CiStatus.Canceled => ("status_canceled", "canceled", "canceled", "canceled"),
            CiStatus.Canceling => ("status_canceled", "canceling", "canceling", "canceling"),
            CiStatus.Skipped => ("status_skipped", "skipped", "skipped", "skipped"),
            CiStatus.Manual => ("status_manual", "blocked", "manual action", "manual"),
            CiStatus.Scheduled => ("status_scheduled", "delayed", "scheduled", "scheduled"),
            CiStatus.WaitingForResource => ("status_pending", "waiting", "waiting for resource", "waiting-for-resource"),
            CiStatus.Preparing => ("status_preparing", "preparing", "preparing", "preparing"),
            _ => ("status_created", "created", "created", "created"),
        };
        return new DetailedStatusView(icon, text, label, group, label, true, detailsPath, null, $"/assets/ci_favicons/favicon_{icon}.png");
    }

    /// <summary>Whether a job that was allowed to fail failed (the latest attempt of each job).</summary>
    public static bool HasWarnings(PipelineState? state) =>
        state is not null && state.Jobs.GroupBy(j => j.Name).Select(g => g.MaxBy(j => j.Attempt)!).Any(j => j.Status == CiStatus.Failed && j.AllowFailure);
}
