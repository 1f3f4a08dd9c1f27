using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Registry;

/// <summary>
/// A token realm for a real <c>docker-registry</c> with token auth: checks Basic credentials and signs an RS256 JWT
/// (kid in libtrust's form, which the registry matches against the certificate bundle) granting the asked scope.
/// </summary>
internal sealed class TokenRealm : IAsyncDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-realm";

    private readonly RSA _key = RSA.Create(2048);
    private readonly TempDirectory _folder = new("token-realm");
    private readonly LocalHttpServer _server;

    public TokenRealm(string username, string password)
    {
        var request = new CertificateRequest("CN=test-realm", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1));
        CertificatePath = _folder.Write("token.crt", certificate.ExportCertificatePem());
        _server = new LocalHttpServer(context =>
        {
            Requests++;
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            if (context.Request.Headers["Authorization"] != expected)
            {
                context.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
                return Task.CompletedTask;
            }

            var scope = context.Request.QueryString["scope"] ?? "";
            var parts = scope.Split(':');
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = Sign(username, parts[1], parts[2].Split(',')), ["expires_in"] = 300 }.ToJsonString());
            context.Response.ContentType = "application/json";
            return context.Response.OutputStream.WriteAsync(body).AsTask();
        });
    }

    public string CertificatePath { get; }

    public string Realm => $"http://{_server.Address}/token";

    public int Requests { get; private set; }

    public RegistryTokenAuth Auth => new(Realm, Service, Issuer, CertificatePath);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
        _folder.Dispose();
    }

    /// <summary>A token that lets the test push to <paramref name="repository"/>.</summary>
    public string PushToken(string repository) => Sign("pusher", repository, ["pull", "push"]);

    private string Sign(string subject, string repository, string[] actions)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId(_key.ExportSubjectPublicKeyInfo()) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Service,
            ["sub"] = subject,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new JsonArray(new JsonObject { ["type"] = "repository", ["name"] = repository, ["actions"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()) }),
        };
        var signed = Base64Url(header.ToJsonString()) + "." + Base64Url(claims.ToJsonString());
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>libtrust's key id: SHA-256 of the public key's DER, first 240 bits in base32, groups of four joined by colons.</summary>
    private static string KeyId(byte[] publicKey)
    {
        var hash = SHA256.HashData(publicKey).AsSpan(0, 30);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder();
        for (var bit = 0; bit < 240; bit += 5)
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
}
