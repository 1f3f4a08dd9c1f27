using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Relais.Server.Ssh;

/// <summary>
/// An OpenSSH public key line (<c>TYPE BASE64 [COMMENT]</c>), checked and normalised: the type is one Relais accepts
/// (<see cref="Types"/>), the base64 blob decodes, its embedded type matches, its fields are well formed and nothing
/// trails them, and an RSA modulus has at least <see cref="MinimumRsaBits"/> bits. Options before the type
/// (<c>command="…" ssh-ed25519 …</c>), several lines and control characters are refused: the line is stored and later
/// written back for sshd, so it must be exactly one key.
/// </summary>
public sealed record SshPublicKey
{
    /// <summary>GitLab allows RSA keys by default with no minimum of its own; 1024 bits is the smallest it lists and OpenSSH's own floor.</summary>
    public const int MinimumRsaBits = 1024;

    /// <summary>RSA above this size is refused: it serves no one and costs the server time to check.</summary>
    public const int MaximumRsaBits = 16384;

    /// <summary>A key line longer than this is refused before it is decoded.</summary>
    public const int MaximumLength = 8192;

    private SshPublicKey(string type, byte[] blob, string comment, int bits)
    {
        Type = type;
        Blob = blob;
        Comment = comment;
        Bits = bits;
    }

    /// <summary>The key types accepted, as OpenSSH names them.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    public string Type { get; }

    /// <summary>The decoded key blob: what the fingerprints hash and what sshd passes (base64) as <c>%k</c>.</summary>
    public IReadOnlyList<byte> Blob { get; }

    /// <summary>The comment after the blob (spaces collapsed), possibly empty.</summary>
    public string Comment { get; }

    /// <summary>The key size: the RSA modulus's bits, the curve's size, 256 for Ed25519.</summary>
    public int Bits { get; }

    /// <summary><c>TYPE BASE64</c> and, when there is one, <c> COMMENT</c>.</summary>
    public string Normalized => Comment.Length == 0 ? $"{Type} {BlobBase64}" : $"{Type} {BlobBase64} {Comment}";

    public string BlobBase64 => Convert.ToBase64String([.. Blob]);

    /// <summary>What <c>ssh-keygen -lf</c> prints: <c>SHA256:</c> and the unpadded base64 of the blob's SHA-256.</summary>
    public string FingerprintSha256 => Sha256Fingerprint([.. Blob]);

    /// <summary>The older fingerprint (GitLab's <c>fingerprint</c>): the blob's MD5 as colon-separated hex pairs.</summary>
#pragma warning disable CA5351 // GitLab's API shows this legacy fingerprint; it identifies a key for people, it secures nothing
    public string FingerprintMd5 => string.Join(':', MD5.HashData([.. Blob]).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
#pragma warning restore CA5351

    public static string Sha256Fingerprint(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>Parses a public key line; null, with <paramref name="problem"/> set, when it is not one Relais accepts.</summary>
    public static SshPublicKey? Parse(string? text, out string problem)
    {
        problem = "is invalid";
        var line = (text ?? "").Trim();
        if (line.Length == 0 || line.Length > MaximumLength || line.Any(c => char.IsControl(c) && c != '\t'))
        {
            return null;
        }

        var parts = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || !Types.Contains(parts[0]))
        {
            problem = parts[0] == "ssh-dss" ? "type is forbidden. Must be RSA, ECDSA, ED25519, ECDSA_SK, or ED25519_SK" : problem;
            return null;
        }

        return FromBlob(parts[0], parts[1], parts.Length == 3 ? string.Join(' ', parts[2].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)) : "", out problem);
    }

    /// <summary>A key from its type and base64 blob (what sshd passes as <c>%t %k</c>); null when they do not make a key Relais accepts.</summary>
    public static SshPublicKey? FromBlob(string type, string base64, string comment, out string problem)
    {
        problem = "is invalid";
        var blob = new byte[base64.Length];
        if (!Types.Contains(type) || !Convert.TryFromBase64String(base64, blob, out var length))
        {
            return null;
        }

        blob = blob[..length];
        var bits = SshKeyFields.Check(type, blob, out problem);
        return bits is null ? null : new SshPublicKey(type, blob, comment, bits.Value);
    }

    public override string ToString() => Normalized;

    public bool Equals(SshPublicKey? other) => other is not null && Type == other.Type && Blob.SequenceEqual(other.Blob) && Comment == other.Comment;

    public override int GetHashCode() => HashCode.Combine(Type, FingerprintSha256, Comment);
}
