using System.Globalization;
using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>What a token request asked for: its fields as given (null: missing).</summary>
internal sealed record TokenRequest(string? Name, string? Scopes, string? ExpiresAt);

/// <summary>
/// The outcome of <see cref="PersonalTokenIssuer.IssueAsync"/>: the new token (its value shown this once), or the
/// field that was wrong and why. <see cref="IsFieldError"/> marks a validation error GitLab reports per field
/// (<c>expires_at</c> in the past) rather than as a bad request.
/// </summary>
internal sealed record TokenIssue(PersonalTokenView? Token, string? Field = null, string? Problem = null, bool IsFieldError = false)
{
    /// <summary>The problem as GitLab's API answers it: 400 <c>field problem</c>, or a field's validation error.</summary>
    public IResult ApiError() => IsFieldError ? ApiJson.Invalid(Field!, Problem!) : ApiJson.BadRequest(Field + " " + Problem);
}

/// <summary>
/// The one way a personal access token is made, for the administrators' API (<c>POST /users/:id/personal_access_tokens</c>),
/// the user's own (<c>POST /user/personal_access_tokens</c>, limited scopes) and the access tokens page: a name, scopes
/// (each one the caller may grant), an optional expiry day after today (or a default); stored hashed, audited, and
/// the value returned once.
/// </summary>
internal sealed class PersonalTokenIssuer(AuditLog auditLog, IIdentityStore identityStore, TimeProvider time)
{
    public async Task<TokenIssue> IssueAsync(
        HttpContext http, UserRecord? actor, UserRecord owner, TokenRequest request, IReadOnlyCollection<string> grantable, DateOnly? defaultExpiry = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(grantable);
        if (request.Name?.Trim() is not { Length: > 0 } name)
        {
            return new TokenIssue(null, "name", "is missing");
        }

        if (name.Length > 255)
        {
            return new TokenIssue(null, "name", "is too long (maximum is 255 characters)", IsFieldError: true);
        }

        if (request.Scopes is not { Length: > 0 } requested)
        {
            return new TokenIssue(null, "scopes", "is missing");
        }

        var (scopes, unknown) = TokenScopes.Parse(requested);
        if (unknown.Count > 0 || scopes.Count == 0 || !scopes.All(grantable.Contains) || (scopes.Contains(TokenScopes.Sudo) && !owner.IsAdmin))
        {
            return new TokenIssue(null, "scopes", "does not have a valid value");
        }

        var now = time.GetUtcNow();
        var expiresAt = defaultExpiry;
        if (request.ExpiresAt is { Length: > 0 } expiry)
        {
            if (!DateOnly.TryParseExact(expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new TokenIssue(null, "expires_at", "is invalid");
            }

            if (string.CompareOrdinal(new TokenGrant(scopes, day).StoredExpiry, TokenGrant.Today(now)) <= 0)
            {
                return new TokenIssue(null, "expires_at", "must be in the future", IsFieldError: true);
            }

            expiresAt = day;
        }

        var grant = new TokenGrant(scopes, expiresAt);
        var token = Tokens.New(Tokens.PersonalPrefix);
        var row = await identityStore.AddPersonalAccessTokenAsync(owner.Id, name, Tokens.Hash(token), now, grant, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(actor), "personal_access_token_created", "User", owner.Id, owner.Username, $"token {name} ({string.Join(' ', scopes)}{(expiresAt is null ? "" : ", expires " + grant.StoredExpiry)})");
        return new TokenIssue(new PersonalTokenView(row.Id, name, false, ApiJson.Time(row.CreatedAt)!, scopes, owner.Id, true, grant.StoredExpiry, token));
    }
}
