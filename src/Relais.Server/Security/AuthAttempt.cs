namespace Relais.Server.Security;

/// <summary>
/// One failed (or about to be checked) authentication, as the rate limit counts it: from which client address
/// (<see cref="ClientAddress"/>), with which credential (a token's prefix, or <c>password</c>), and naming which
/// account, if any (a username in the sign-in form or in git's HTTP Basic; <c>null</c> for a bare token).
/// </summary>
public sealed record AuthAttempt(string Address, string Credential, string? Account = null)
{
    /// <summary>A password for <paramref name="username"/> on the web sign-in form.</summary>
    public static AuthAttempt Password(string address, string username) => new(address, "password", "web:" + username);

    /// <summary>A token, as git's HTTP Basic password under <paramref name="gitUser"/> when that is given.</summary>
    public static AuthAttempt Token(string address, string tokenPrefix, string? gitUser = null) =>
        new(address, tokenPrefix, gitUser is null ? null : "git:" + gitUser);
}
