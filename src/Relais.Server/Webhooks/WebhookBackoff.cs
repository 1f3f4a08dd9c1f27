namespace Relais.Server.Webhooks;

/// <summary>
/// When a failed delivery is tried again and when a failing hook pauses: retries wait <see cref="WebhookOptions.RetryBase"/>
/// doubled per attempt (at most an hour) until <see cref="WebhookOptions.MaxAttempts"/>; a hook whose deliveries failed
/// <see cref="WebhookOptions.FailuresBeforePause"/> times in a row pauses for <see cref="WebhookOptions.PauseBase"/>,
/// doubled per further failure (at most a day), as GitLab disables failing hooks temporarily. Its deliveries wait, they are not dropped.
/// </summary>
public static class WebhookBackoff
{
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxPause = TimeSpan.FromDays(1);

    /// <summary>When to try again after failed attempt number <paramref name="attempts"/> (from 1); null: give up.</summary>
    public static DateTimeOffset? NextAttempt(WebhookOptions options, int attempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return attempts >= options.MaxAttempts ? null : now + Doubled(options.RetryBase, attempts - 1, MaxRetryWait);
    }

    /// <summary>Until when a hook with <paramref name="failuresInARow"/> failures (this one counted) pauses; null: it does not.</summary>
    public static DateTimeOffset? PauseUntil(WebhookOptions options, int failuresInARow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return failuresInARow < options.FailuresBeforePause ? null : now + Doubled(options.PauseBase, failuresInARow - options.FailuresBeforePause, MaxPause);
    }

    private static TimeSpan Doubled(TimeSpan start, int times, TimeSpan max)
    {
        var ticks = (double)start.Ticks * Math.Pow(2, Math.Min(times, 40));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
