namespace Relais.GitOps.Registry;

/// <summary>
/// The wait before retrying a 429 or 5xx answer: the registry's <c>Retry-After</c> when it gives one, else
/// <c>initial × 2^attempt</c> with up to 50 % random jitter; both capped at <c>max</c>.
/// </summary>
public static class BackOff
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, TimeSpan? retryAfter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (retryAfter is { } after)
        {
            return after < TimeSpan.Zero ? TimeSpan.Zero : after > max ? max : after;
        }

        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var jittered = exponential * (1 + (random.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, max.TotalMilliseconds));
    }
}
