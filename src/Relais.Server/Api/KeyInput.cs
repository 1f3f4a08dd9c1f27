using System.Globalization;
using Microsoft.AspNetCore.Http;
using Relais.Server.Ssh;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reads a new key's fields as GitLab takes them (<c>title</c>, <c>key</c>, <c>expires_at</c>, <c>usage_type</c>) into a
/// row to store, or the 400 answer: a missing field, a key that is not one (<c>{"message":{"key":["is invalid"]}}</c>),
/// an expiry in the past, an unknown usage type.
/// </summary>
internal static class KeyInput
{
    public static readonly IReadOnlyList<string> UsageTypes = ["auth_and_signing", "auth", "signing"];

    public static (SshKeyRecord? Key, IResult? Problem) Read(IReadOnlyDictionary<string, string> f, string kind, long? userId, DateTimeOffset now)
    {
        var (key, field, problem, missing) = Check(f, kind, userId, now);
        return key is not null ? (key, null) : (null, missing ? ApiJson.BadRequest($"{field} {problem}") : ApiJson.Invalid(field!, problem!));
    }

    /// <summary>The row to store, or the field at fault and what is wrong with it (<c>Missing</c>: a 400 "field is missing"-style answer rather than a model error).</summary>
    public static (SshKeyRecord? Key, string? Field, string? Problem, bool Missing) Check(IReadOnlyDictionary<string, string> f, string kind, long? userId, DateTimeOffset now)
    {
        if (f.GetValueOrDefault("title") is not { Length: > 0 } title)
        {
            return (null, "title", "is missing", true);
        }

        if (f.GetValueOrDefault("key") is not { Length: > 0 } text)
        {
            return (null, "key", "is missing", true);
        }

        if (SshPublicKey.Parse(text, out var problem) is not { } parsed)
        {
            return (null, "key", problem, false);
        }

        var usage = f.GetValueOrDefault("usage_type") is { Length: > 0 } u ? u : "auth_and_signing";
        if (kind == SshKeyRecord.DeployKind ? usage != "auth_and_signing" && usage != "auth" : !UsageTypes.Contains(usage))
        {
            return (null, "usage_type", "does not have a valid value", true);
        }

        string? expiresAt = null;
        if (f.GetValueOrDefault("expires_at") is { Length: > 0 } expiry)
        {
            if (!DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return (null, "expires_at", "is invalid", true);
            }

            if (at <= now)
            {
                return (null, "expires_at", "must be in the future", false);
            }

            expiresAt = SqlKeyStore.StoredTime(at);
        }

        return (new SshKeyRecord
        {
            Kind = kind,
            UserId = userId,
            Title = title.Length > 255 ? title[..255] : title,
            Key = parsed.Normalized,
            FingerprintSha256 = parsed.FingerprintSha256,
            FingerprintMd5 = parsed.FingerprintMd5,
            UsageType = kind == SshKeyRecord.DeployKind ? "auth" : usage,
            ExpiresAt = expiresAt,
        }, null, null, false);
    }

    /// <summary>GitLab's answer when the key is already someone's.</summary>
    public static IResult Taken() => ApiJson.Invalid("fingerprint_sha256", "has already been taken");
}
