using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Relais.Server.Auth;

namespace Relais.Server.Registry;

/// <summary>The registry's TLS files: Relais's CA (its PEM is what jobs and engines trust) and the server certificate and key Distribution serves.</summary>
public sealed record RegistryTlsFiles(string CaCertificatePem, string CertificatePath, string KeyPath);

/// <summary>
/// The registry's TLS: a CA of Relais's own in <c>DATA/registry/ca.crt|ca.key</c> (made on the first start and kept,
/// so what trusts it stays valid) and a server certificate it signs in <c>server.crt|server.key</c>, whose SANs cover
/// the names and IPs the registry is reached by; issued again when they change, when it is not the CA's, or when it
/// nears its end. ECDSA P-256 keys.
/// </summary>
public static class RegistryCertificates
{
    /// <summary>The CA's and the server certificate's files in <paramref name="folder"/> for <paramref name="dnsNames"/> and <paramref name="ips"/>.</summary>
    public static RegistryTlsFiles Ensure(string folder, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ips, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(folder);
        var now = time.GetUtcNow();
        using var ca = LoadOrCreateCa(folder, now);
        var certificatePath = Path.Combine(folder, "server.crt");
        var keyPath = Path.Combine(folder, "server.key");
        if (!IsCurrent(certificatePath, keyPath, ca, dnsNames, ips, now))
        {
            Issue(ca, certificatePath, keyPath, dnsNames, ips, now);
        }

        return new RegistryTlsFiles(ca.ExportCertificatePem(), certificatePath, keyPath);
    }

    private static X509Certificate2 LoadOrCreateCa(string folder, DateTimeOffset now)
    {
        var certificatePath = Path.Combine(folder, "ca.crt");
        var keyPath = Path.Combine(folder, "ca.key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Relais registry CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(30));
        OwnerOnlyFile.WriteLine(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, ca.ExportCertificatePem());
        return ca;
    }

    private static bool IsCurrent(string certificatePath, string keyPath, X509Certificate2 ca, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ips, DateTimeOffset now)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(30))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            if (!chain.Build(certificate))
            {
                return false;
            }

            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
            return names is not null
                && names.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(dnsNames)
                && names.EnumerateIPAddresses().ToHashSet().SetEquals(ips);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void Issue(X509Certificate2 ca, string certificatePath, string keyPath, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ips, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + (dnsNames.FirstOrDefault() ?? "relais-registry"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var ip in ips)
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddYears(10), serial);
        OwnerOnlyFile.WriteLine(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }
}
