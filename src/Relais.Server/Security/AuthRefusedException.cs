namespace Relais.Server.Security;

/// <summary>
/// Thrown where a credential failed (<see cref="AuthEvents.Failed"/>) when this client has already failed too often:
/// <see cref="AuthGuard"/> answers 429 with <c>Retry-After</c> instead of the endpoint's 401/403. Only a request
/// whose credential did not validate can get here, so a good credential is never refused by the rate limit.
/// </summary>
public sealed class AuthRefusedException(TimeSpan retryAfter) : Exception("too many failed authentications")
{
    /// <summary>How long until the count that refused this request starts again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
