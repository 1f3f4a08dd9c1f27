using System.Collections.Concurrent;

namespace Relais.Server.Security;

/// <summary>How many failed authentications are tolerated, per client address and per address and token prefix, in one window.</summary>
public sealed record AuthThrottleOptions
{
    /// <summary>Failures from one address with one token prefix before that pair is refused (default 10).</summary>
    public int FailuresPerKey { get; init; } = 10;

    /// <summary>Failures from one address (any token) before the address is refused (default 50).</summary>
    public int FailuresPerAddress { get; init; } = 50;

    /// <summary>The counting window; a refused client may try again when it ends (default 1 minute).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A token's use is audited at most once per this interval (default 10 minutes), so polling runners do not flood the log.</summary>
    public TimeSpan TokenUseAuditInterval { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Counts failed authentications in fixed windows per client address and per (address, token prefix). Successes
/// never count; a token that authenticated from an address is remembered there and is let through even while the
/// address is refused, so one broken client does not lock out good ones behind the same address (a NAT, a CI
/// fleet). One lock per bucket dictionary entry; the dictionaries are pruned as windows end.
/// </summary>
public sealed class AuthThrottle(AuthThrottleOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _good = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when it may go on.</summary>
    public TimeSpan? RetryAfter(string address, string tokenPrefix, string? tokenHash)
    {
        var now = time.GetUtcNow();
        if (tokenHash is not null && _good.TryGetValue(address + "|" + tokenHash, out var until) && until > now)
        {
            return null;
        }

        return Blocked(KeyOf(address, tokenPrefix), options.FailuresPerKey, now) ?? Blocked(address, options.FailuresPerAddress, now);
    }

    public void Failed(string address, string tokenPrefix)
    {
        var now = time.GetUtcNow();
        Count(KeyOf(address, tokenPrefix), now);
        Count(address, now);
        if (_buckets.Count > 100_000)
        {
            Prune(now);
        }
    }

    public void Succeeded(string address, string tokenHash)
    {
        var now = time.GetUtcNow();
        _good[address + "|" + tokenHash] = now + options.Window;
        if (_good.Count > 100_000)
        {
            Prune(now);
        }
    }

    private static string KeyOf(string address, string tokenPrefix) => address + "#" + tokenPrefix;

    private TimeSpan? Blocked(string key, int limit, DateTimeOffset now) =>
        _buckets.TryGetValue(key, out var b) && b.Ends > now && b.Count >= limit ? b.Ends - now : null;

    private void Count(string key, DateTimeOffset now) =>
        _buckets.AddOrUpdate(key, _ => new Bucket(1, now + options.Window), (_, b) => b.Ends > now ? b with { Count = b.Count + 1 } : new Bucket(1, now + options.Window));

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, b) in _buckets)
        {
            if (b.Ends <= now)
            {
                _buckets.TryRemove(key, out _);
            }
        }

        foreach (var (key, until) in _good)
        {
            if (until <= now)
            {
                _good.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Bucket(int Count, DateTimeOffset Ends);
}
