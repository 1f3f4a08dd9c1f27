namespace Relais.Server.Webhooks;

/// <summary>How outgoing webhooks are sent (<see cref="ServerOptions.Webhooks"/>).</summary>
public sealed record WebhookOptions
{
    /// <summary>
    /// Whether hooks may reach loopback, private and link-local addresses (<c>relais serve --allow-local-webhooks</c>;
    /// GitLab's "Allow requests to the local network from webhooks"). Off by default.
    /// </summary>
    public bool AllowLocal { get; init; }

    /// <summary>How long one request may take (GitLab: 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the first retry of a failed delivery; each further retry waits twice as long, at most an hour.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Failed deliveries in a row after which the hook pauses (GitLab: 4).</summary>
    public int FailuresBeforePause { get; init; } = 4;

    /// <summary>The first pause of a failing hook; each further failure doubles it, at most a day (GitLab: 1 minute).</summary>
    public TimeSpan PauseBase { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the sender looks for due deliveries without being woken (those of other coordinators, retries).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
