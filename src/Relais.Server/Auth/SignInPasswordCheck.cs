using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// Checks a sign-in password in the same time whether the user exists, has a password or not: without a stored hash
/// the password is verified against a dummy hash with the same work factor, which never matches. Counts every hash
/// computed (<see cref="HashesComputed"/>) so tests can see the work is done without timing it.
/// </summary>
internal sealed class SignInPasswordCheck
{
    /// <summary>A well-formed hash (the current scheme and iterations, zero salt) that no password produces in practice.</summary>
    private static readonly string Dummy = string.Join('$', "pbkdf2-sha256", "210000", Convert.ToBase64String(new byte[16]), Convert.ToBase64String(new byte[32]));

    private long _hashes;

    public long HashesComputed => Interlocked.Read(ref _hashes);

    /// <summary>The account when <paramref name="password"/> is its password; null otherwise (unknown user, no password, wrong password).</summary>
    public SignInRecord? Verify(SignInRecord? account, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var stored = account?.PasswordHash is { } hash && Passwords.IsWellFormed(hash) ? hash : null;
        Interlocked.Increment(ref _hashes);
        var matches = Passwords.Verify(password, stored ?? Dummy);
        return matches && stored is not null ? account : null;
    }
}
