using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Ssh;

/// <summary>
/// The secret shared by the coordinator and the commands sshd runs (<c>relais ssh-keys</c>, <c>relais ssh-git</c>):
/// 32 random bytes as hex in a file only the SSH account can read (<c>DATA/ssh-home/shell-secret</c>, 0600). The
/// internal SSH endpoints answer only a request that presents it, so knowing someone's public key (or a key id) gives
/// nothing. Created on the first start with SSH on, then reused; it also keys the short-lived git tokens.
/// </summary>
public sealed class SshShellSecret
{
    /// <summary>The request header the commands send it in.</summary>
    public const string Header = "Relais-Shell-Secret";

    private readonly byte[] _hash;

    private SshShellSecret(string value)
    {
        Value = value;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The secret text (hex).</summary>
    public string Value { get; }

    /// <summary>Reads the file, or creates it (0600) with a new secret when it is missing or empty.</summary>
    public static SshShellSecret Open(string path)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        if (existing.Length >= 32)
        {
            return new SshShellSecret(existing);
        }

        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(path, Encoding.ASCII, options))
        {
            file.Write(value + "\n");
        }

        return new SshShellSecret(value);
    }

    /// <summary>Whether <paramref name="presented"/> is the secret, in time that does not depend on where they differ.</summary>
    public bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>A key derived from the secret for one purpose (the git tokens), so the secret itself is never a MAC key.</summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(Value), Encoding.UTF8.GetBytes(purpose));
}
