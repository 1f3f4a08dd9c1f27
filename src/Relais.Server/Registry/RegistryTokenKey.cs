using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Relais.Server.Auth;

namespace Relais.Server.Registry;

/// <summary>
/// The key Relais signs registry tokens with, and the certificate the registry trusts them by
/// (<c>auth.token.rootcertbundle</c>): an RSA key in <c>DATA/registry/token.key</c> and a self-signed certificate in
/// <c>DATA/registry/token.crt</c>, made on the first start and kept (tokens stay valid across restarts), as GitLab
/// keeps its <c>registry.key</c>. The key id is the one Distribution derives from the certificate's public key
/// (libtrust's fingerprint), so the registry finds the key by the token's <c>kid</c>.
/// </summary>
public sealed class RegistryTokenKey : IDisposable
{
    private RegistryTokenKey(RSA key, string certificatePath, string keyId)
    {
        Key = key;
        CertificatePath = certificatePath;
        KeyId = keyId;
    }

    /// <summary>The private key (tokens are signed RS256 with it).</summary>
    public RSA Key { get; }

    /// <summary>The certificate file the registry's config names as <c>rootcertbundle</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>The <c>kid</c> of every token: libtrust's key id of the public key.</summary>
    public string KeyId { get; }

    /// <summary>Loads the key and certificate from <paramref name="folder"/>, making them on the first call (valid from <paramref name="time"/>'s yesterday for 30 years).</summary>
    public static RegistryTokenKey LoadOrCreate(string folder, TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        var keyPath = Path.Combine(folder, "token.key");
        var certificatePath = Path.Combine(folder, "token.crt");
        var key = RSA.Create();
        if (File.Exists(keyPath) && File.Exists(certificatePath))
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        else
        {
            key.KeySize = 2048;
            var request = new CertificateRequest("CN=relais-registry-token", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var now = time.GetUtcNow();
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(30));
            OwnerOnlyFile.WriteLine(keyPath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        }

        return new RegistryTokenKey(key, certificatePath, LibtrustKeyId(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>
    /// libtrust's key id: the SHA-256 of the DER public key, its first 240 bits in base32 (no padding), in twelve
    /// groups of four joined by colons.
    /// </summary>
    public static string LibtrustKeyId(byte[] subjectPublicKeyInfo)
    {
        var hash = SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 30);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new System.Text.StringBuilder(48);
        for (var bit = 0; bit < hash.Length * 8; bit += 5)
        {
            var value = 0;
            for (var i = 0; i < 5; i++)
            {
                var b = bit + i;
                value = (value << 1) | ((hash[b / 8] >> (7 - (b % 8))) & 1);
            }

            text.Append(alphabet[value]);
        }

        return string.Join(':', text.ToString().Chunk(4).Select(c => new string(c)));
    }

    public void Dispose() => Key.Dispose();
}
