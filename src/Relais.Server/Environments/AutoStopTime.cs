using Relais.Pipelines.Build;

namespace Relais.Server.Environments;

/// <summary>
/// When a successful deployment's environment stops by itself: its finish time plus <c>environment:auto_stop_in</c>
/// (GitLab's durations: <c>1 day</c>, <c>2 hours 30 minutes</c>); <c>never</c> clears it.
/// </summary>
public static class AutoStopTime
{
    /// <summary>The new auto-stop time; <see cref="Keep"/> false when the job said nothing (or nothing readable) and the environment keeps its own.</summary>
    public static (bool Keep, DateTimeOffset? At) Of(string? autoStopIn, DateTimeOffset finishedAt)
    {
        if (string.IsNullOrWhiteSpace(autoStopIn))
        {
            return (true, null);
        }

        if (string.Equals(autoStopIn.Trim(), "never", StringComparison.OrdinalIgnoreCase))
        {
            return (false, null);
        }

        return Durations.Parse(autoStopIn) is { } span && span < DateTimeOffset.MaxValue - finishedAt ? (false, finishedAt + span) : (true, null);
    }
}
