namespace Relais.Runner.Agent;

/// <summary>
/// Exponential backoff with jitter for transient failures of the runner API: attempt <c>n</c> (from 0) waits a random
/// time between half and all of <c>min(MaxDelay, BaseDelay × 2ⁿ)</c>, so runners that failed together do not come back
/// together. Time and randomness are injected so tests neither sleep long nor flake.
/// </summary>
public sealed record RetryBackoff
{
    /// <summary>The first delay's upper bound (default 1 s).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest delay (default 1 min).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many times one call is tried before the failure is returned (default 8).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The clock delays are measured on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The source of jitter, a number in [0, 1).</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>The delay before retry number <paramref name="attempt"/> + 1 (attempt counts from 0).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * Random())));
    }

    /// <summary>Waits out <see cref="Delay"/> for <paramref name="attempt"/> on the injected clock.</summary>
    public Task WaitAsync(int attempt, CancellationToken cancellationToken) => Task.Delay(Delay(attempt), Time, cancellationToken);
}
