using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Security;

/// <summary>
/// Encrypts secrets kept at rest (masked CI/CD variable values, in their table and in each pipeline's stored
/// context) with AES-256-GCM. A protected value is <c>relais:enc:v1:</c> + Base64(nonce ‖ tag ‖ ciphertext); a
/// value without that prefix (written before encryption existed) reads back unchanged. Thread-safe.
/// </summary>
public sealed class SecretBox
{
    private const string Prefix = "relais:enc:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException("the key must be 32 bytes", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>
    /// A secret derived from the key for one <paramref name="purpose"/> (HMAC-SHA256, 43 URL-safe characters): the same for
    /// every coordinator with this key, unknowable without it, and never written anywhere.
    /// </summary>
    public string Derive(string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("relais derived secret v1\n" + purpose));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool IsProtected(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public string Protect(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var clear = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + TagSize + clear.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plain value; throws <see cref="CryptographicException"/> when it was sealed with another key or altered.</summary>
    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsProtected(stored))
        {
            return stored;
        }

        var sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("a protected value is too short");
        }

        var clear = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), clear);
        return Encoding.UTF8.GetString(clear);
    }
}
