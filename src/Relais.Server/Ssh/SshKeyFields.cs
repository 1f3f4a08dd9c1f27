using System.Numerics;
using System.Security.Cryptography;

namespace Relais.Server.Ssh;

/// <summary>
/// Checks the fields inside a public key blob for its type (RFC 4253 §6.6, RFC 5656, RFC 8709, OpenSSH's PROTOCOL.u2f):
/// the embedded type name equals the declared one, each field has its size, and the blob ends after the last.
/// </summary>
internal static class SshKeyFields
{
    /// <summary>The key's size in bits, or null with <paramref name="problem"/> set.</summary>
    public static int? Check(string type, ReadOnlySpan<byte> blob, out string problem)
    {
        problem = "is invalid";
        var reader = new SshWireReader(blob);
        if (!reader.TryReadText(out var embedded) || embedded != type)
        {
            return null;
        }

        int? bits = type switch
        {
            "ssh-ed25519" => Ed25519(ref reader, application: false),
            "sk-ssh-ed25519@openssh.com" => Ed25519(ref reader, application: true),
            "ssh-rsa" => Rsa(ref reader, ref problem),
            "ecdsa-sha2-nistp256" => Ecdsa(ref reader, "nistp256", 256, application: false),
            "ecdsa-sha2-nistp384" => Ecdsa(ref reader, "nistp384", 384, application: false),
            "ecdsa-sha2-nistp521" => Ecdsa(ref reader, "nistp521", 521, application: false),
            "sk-ecdsa-sha2-nistp256@openssh.com" => Ecdsa(ref reader, "nistp256", 256, application: true),
            _ => null,
        };
        return bits is not null && reader.AtEnd ? bits : null;
    }

    private static int? Ed25519(ref SshWireReader reader, bool application) =>
        reader.TryReadString(out var point) && point.Length == 32 && (!application || reader.TryReadText(out _)) ? 256 : null;

    private static int? Rsa(ref SshWireReader reader, ref string problem)
    {
        if (!reader.TryReadString(out var e) || !reader.TryReadString(out var n) || e.IsEmpty || n.IsEmpty || (e[0] & 0x80) != 0 || (n[0] & 0x80) != 0)
        {
            return null;
        }

        var bits = (int)new BigInteger(n, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits is < SshPublicKey.MinimumRsaBits or > SshPublicKey.MaximumRsaBits)
        {
            problem = $"must be at least {SshPublicKey.MinimumRsaBits} bits";
            return null;
        }

        return bits;
    }

    /// <summary>An uncompressed point (0x04, X, Y) on the named curve; for a security key, then the application.</summary>
    private static int? Ecdsa(ref SshWireReader reader, string curve, int bits, bool application)
    {
        var coordinate = (bits + 7) / 8;
        return reader.TryReadText(out var name) && name == curve
            && reader.TryReadString(out var point) && point.Length == 1 + (2 * coordinate) && point[0] == 0x04
            && OnCurve(curve, point[1..(1 + coordinate)], point[(1 + coordinate)..])
            && (!application || reader.TryReadText(out _))
            ? bits : null;
    }

    /// <summary>Whether (X, Y) is a point of the curve: the platform's import refuses one that is not.</summary>
    private static bool OnCurve(string curve, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        try
        {
            using var key = ECDsa.Create(new ECParameters
            {
                Curve = curve switch
                {
                    "nistp256" => ECCurve.NamedCurves.nistP256,
                    "nistp384" => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                },
                Q = new ECPoint { X = x.ToArray(), Y = y.ToArray() },
            });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
