using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Relais.Server.Registry;

/// <summary>A signed registry token and what the token endpoint answers with it.</summary>
public sealed record RegistryToken(string Value, DateTimeOffset IssuedAt, TimeSpan Lifetime);

/// <summary>
/// Signs the bearer tokens the registry accepts (Docker's token authentication, as GitLab issues them): RS256 JWTs
/// with <c>iss</c> the registry config's issuer, <c>aud</c> its service, <c>sub</c> the user, and an <c>access</c> claim
/// listing what may be done (<c>[{"type":"repository","name":"group/app","actions":["pull","push"]}]</c>). The
/// token endpoint (<c>/jwt/auth</c>) and the coordinator's own calls to the registry both use it.
/// </summary>
public sealed class RegistryTokenIssuer(RegistryTokenKey key, string issuer, string service, TimeProvider time)
{
    /// <summary>GitLab's default <c>container_registry_token_expire_delay</c>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials = new(new RsaSecurityKey(key.Key) { KeyId = key.KeyId }, SecurityAlgorithms.RsaSha256);

    public string Issuer => issuer;

    public string Service => service;

    /// <summary>A token for <paramref name="subject"/> (empty for anonymous) granting <paramref name="access"/> (possibly nothing: the registry then denies).</summary>
    public RegistryToken Issue(string subject, IReadOnlyList<RegistryScope> access, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(access);
        var now = time.GetUtcNow();
        var life = lifetime ?? DefaultLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = service,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-5), // a registry whose clock is a little behind still accepts it
            Expires = now.UtcDateTime.Add(life),
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = access.Select(a => new Dictionary<string, object> { ["type"] = a.Type, ["name"] = a.Name, ["actions"] = a.Actions.ToArray() }).ToArray(),
            },
        };
        return new RegistryToken(_handler.CreateToken(descriptor), now, life);
    }
}
