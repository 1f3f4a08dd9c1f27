using System.Collections.Concurrent;

namespace Relais.Server.Security;

/// <summary>How many failed authentications are tolerated, per client, per credential and per account, and for how long.</summary>
public sealed record AuthThrottleOptions
{
    /// <summary>
    /// Failures from one address with one token prefix in a <see cref="Window"/>, and with one account (a username)
    /// in an <see cref="AccountWindow"/>, before failures from there are refused (default 10).
    /// </summary>
    public int FailuresPerKey { get; init; } = 10;

    /// <summary>Failures from one address (any credential) in a <see cref="Window"/> before its failures are refused (default 50).</summary>
    public int FailuresPerAddress { get; init; } = 50;

    /// <summary>
    /// Failures naming one account from all addresses together in an <see cref="AccountWindow"/> before that account's
    /// password sign-in is locked (default 50: five times what one address may try, so one client cannot lock a user out).
    /// </summary>
    public int FailuresPerAccount { get; init; } = 50;

    /// <summary>The counting window per address and per token prefix; a refused client may try again when it ends (default 1 minute).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The counting window of the per-account counts (default 10 minutes, GitLab's lock time).</summary>
    public TimeSpan AccountWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A token's use is audited at most once per this interval (default 10 minutes), so polling runners do not flood the log.</summary>
    public TimeSpan TokenUseAuditInterval { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Counts failed authentications in fixed windows, and refuses further <em>failures</em> once a count is at its limit.
/// It is consulted only for a credential that did not validate (<see cref="AuthEvents.Failed"/>), and before a
/// password is checked (<see cref="AccountLocked"/>), never for a good token or session: a broken or hostile client
/// behind the same address (a NAT, a reverse proxy) cannot lock out good ones. The counts of one attempt: its
/// address; its address and credential; with an account, its address and account and the account alone (the
/// longer <see cref="AuthThrottleOptions.AccountWindow"/>). A refused attempt is not counted. Entries are pruned as
/// their windows end.
/// </summary>
public sealed class AuthThrottle(AuthThrottleOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Counts a failed attempt; or, when one of its counts is already at its limit, refuses it: how long to wait.</summary>
    public TimeSpan? Fail(AuthAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var now = time.GetUtcNow();
        var limits = LimitsOf(attempt, withAddress: true);
        if (LongestWait(limits, now) is { } wait)
        {
            return wait;
        }

        foreach (var limit in limits)
        {
            _buckets.AddOrUpdate(
                limit.Key,
                _ => new Bucket(1, now + limit.Window),
                (_, b) => b.Ends > now ? b with { Count = b.Count + 1 } : new Bucket(1, now + limit.Window));
        }

        if (_buckets.Count > 100_000)
        {
            Prune(now);
        }

        return null;
    }

    /// <summary>
    /// How long a password for the attempt's account must not even be checked (so a guess that happens to be right
    /// teaches nothing): the counts of its credential and account, not its address's, which junk tokens fill.
    /// </summary>
    public TimeSpan? AccountLocked(AuthAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return LongestWait(LimitsOf(attempt, withAddress: false), time.GetUtcNow());
    }

    private List<Limit> LimitsOf(AuthAttempt a, bool withAddress)
    {
        var limits = new List<Limit>(4);
        if (withAddress)
        {
            limits.Add(new("a|" + a.Address, options.FailuresPerAddress, options.Window));
        }

        limits.Add(new("c|" + a.Address + "|" + a.Credential, options.FailuresPerKey, options.Window));
        if (a.Account is { } account)
        {
            limits.Add(new("u|" + a.Address + "|" + account, options.FailuresPerKey, options.AccountWindow));
            limits.Add(new("U|" + account, options.FailuresPerAccount, options.AccountWindow));
        }

        return limits;
    }

    private TimeSpan? LongestWait(List<Limit> limits, DateTimeOffset now)
    {
        TimeSpan? longest = null;
        foreach (var limit in limits)
        {
            if (_buckets.TryGetValue(limit.Key, out var b) && b.Ends > now && b.Count >= limit.Max && (longest is null || b.Ends - now > longest))
            {
                longest = b.Ends - now;
            }
        }

        return longest;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, b) in _buckets)
        {
            if (b.Ends <= now)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Limit(string Key, int Max, TimeSpan Window);

    private readonly record struct Bucket(int Count, DateTimeOffset Ends);
}
