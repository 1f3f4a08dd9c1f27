using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Relais.Docker.Tests.Support;

/// <summary>A CA made for one test and a server certificate it signs for an IP address, as PEM files in a folder.</summary>
public sealed record TestCertificates(string CaPem, string CertificateFile, string KeyFile)
{
    public static TestCertificates For(string ip, TempDirectory folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=relais-test-registry-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=relais-test-registry", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(ip));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        return new TestCertificates(
            ca.ExportCertificatePem() + "\n",
            folder.Write("registry.crt", certificate.ExportCertificatePem() + "\n"),
            folder.Write("registry.key", key.ExportPkcs8PrivateKeyPem() + "\n"));
    }
}
