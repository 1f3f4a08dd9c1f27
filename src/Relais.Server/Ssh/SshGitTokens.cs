using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Relais.Server.Git;

namespace Relais.Server.Ssh;

/// <summary>
/// The short-lived credential <c>relais ssh-git</c> relays a git session to smart HTTP with: HTTP Basic user
/// <see cref="BasicUser"/>, password <c>KEYID.OPERATION.EXPIRES.MAC</c>, where the MAC (HMAC-SHA256 with a key derived
/// from the <see cref="SshShellSecret"/>) covers the key id, the operation, the expiry and the project path. It is good
/// for one project, one operation and <see cref="Lifetime"/>; nothing is stored. What the key may do is decided again
/// on every request (<see cref="SshGitAccess"/>), so a key removed or a user blocked meanwhile stops at the next one.
/// </summary>
internal sealed class SshGitTokens(SshShellSecret secret, TimeProvider time)
{
    /// <summary>The HTTP Basic user name that marks an SSH relay's request.</summary>
    public const string BasicUser = "relais-ssh";

    /// <summary>Long enough for one clone or push (each request of the session is checked against it when it starts).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly byte[] _key = secret.DeriveKey("relais git-over-ssh token v1");

    internal string Issue(long keyId, string projectPath, GitOperation operation)
    {
        var expires = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        var head = string.Create(CultureInfo.InvariantCulture, $"{keyId}.{Op(operation)}.{expires}");
        return head + "." + Mac(head, projectPath);
    }

    /// <summary>The key id the token was issued to, when it is genuine, unexpired, and for this project and operation; else null.</summary>
    internal long? Verify(string token, string projectPath, GitOperation operation)
    {
        var parts = token.Split('.');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var keyId)
            || parts[1] != Op(operation)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(string.Join('.', parts[..3]), projectPath));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])) ? keyId : null;
    }

    private static string Op(GitOperation operation) => operation == GitOperation.Write ? "w" : "r";

    private string Mac(string head, string projectPath) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(head + "\n" + projectPath))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
