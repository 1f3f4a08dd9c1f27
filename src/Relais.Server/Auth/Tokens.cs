using System.Security.Cryptography;

namespace Relais.Server.Auth;

/// <summary>Secrets the server hands out, and the only form it stores them in (SHA-256, lowercase hex).</summary>
public static class Tokens
{
    public const string RunnerPrefix = "glrt-";
    public const string JobPrefix = "glcbt-";
    public const string PersonalPrefix = "glpat-";
    public const string DeployPrefix = "gldt-";

    /// <summary>A new token: the prefix and 32 random URL-safe characters (192 bits).</summary>
    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
