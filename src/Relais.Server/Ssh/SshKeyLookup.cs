using Relais.Server.Storage;

namespace Relais.Server.Ssh;

/// <summary>
/// Who is presenting a key, as sshd's <c>AuthorizedKeysCommand</c> will ask: sshd passes the key's type and base64 blob
/// (<c>%t %k</c>); a key Relais would not accept is no one, otherwise one query by SHA-256 fingerprint
/// (<see cref="IKeyStore.FindKeyOwnerAsync"/>) answers with the user or the deploy key, or null. See docs/ssh.md.
/// </summary>
public sealed class SshKeyLookup(IKeyStore keyStore, TimeProvider time)
{
    public async Task<SshKeyOwner?> FindAsync(string type, string base64Blob, CancellationToken cancel = default)
    {
        if (SshPublicKey.FromBlob(type, base64Blob, "", out _) is not { } key)
        {
            return null;
        }

        return await keyStore.FindKeyOwnerAsync(key.FingerprintSha256, time.GetUtcNow(), cancel);
    }
}
