using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Auth;

/// <summary>
/// Password hashes: salted PBKDF2-HMAC-SHA256, stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (Base64), so the
/// work factor can rise later without invalidating stored hashes. Verification is constant-time.
/// </summary>
public static class Passwords
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="stored"/> has this scheme's shape (so <see cref="Verify"/> does the full work on it).</summary>
    public static bool IsWellFormed(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        return parts.Length == 4 && parts[0] == Scheme
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) && iterations >= 1
            && Convert.TryFromBase64String(parts[2], new byte[parts[2].Length], out _) && Convert.TryFromBase64String(parts[3], new byte[parts[3].Length], out _);
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed or missing hash.</summary>
    public static bool Verify(string password, string? stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>GitLab's rule for a new password: at least 8 characters, at most 128.</summary>
    public const int MinimumLength = 8;

    public const int MaximumLength = 128;

    /// <summary>What is wrong with <paramref name="password"/> as a new password, or null when it is acceptable.</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) ? "is missing"
        : password.Length < MinimumLength ? $"is too short (minimum is {MinimumLength} characters)"
        : password.Length > MaximumLength ? $"is too long (maximum is {MaximumLength} characters)"
        : null;

    /// <summary>A new random password: 24 URL-safe characters (144 bits).</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[18];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
