using System.Globalization;
using System.Text;

namespace Relais.Server.Registry;

/// <summary>
/// Distribution's <c>config.yml</c> as <c>relais serve</c> writes it at each start: filesystem storage, deletes
/// enabled, upload purging, one listen address, TLS (unless insecure), token authentication whose realm is this
/// coordinator, info-level logs without the access log, and the read-only maintenance flag garbage collection needs.
/// </summary>
public sealed record RegistryConfig
{
    public required string StoragePath { get; init; }

    /// <summary><c>http.addr</c>: one IP and the port.</summary>
    public required string ListenAddress { get; init; }

    /// <summary><c>http.secret</c>: signs upload state between requests (kept across restarts).</summary>
    public required string HttpSecret { get; init; }

    /// <summary>The certificate and key it serves; null: plain HTTP.</summary>
    public RegistryTlsFiles? Tls { get; init; }

    public required Uri Realm { get; init; }

    /// <summary>The certificate tokens are verified with (<c>auth.token.rootcertbundle</c>).</summary>
    public required string RootCertBundle { get; init; }

    /// <summary>Refuse writes (pushes, deletes) while garbage collection runs.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The YAML text.</summary>
    public string Render()
    {
        var yaml = new StringBuilder()
            .AppendLine("# Written by relais serve at each start; changes are overwritten.")
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: info")
            .AppendLine("  formatter: text")
            .AppendLine("  accesslog: {disabled: true}")
            .AppendLine("storage:")
            .AppendLine(CultureInfo.InvariantCulture, $"  filesystem: {{rootdirectory: {Quote(StoragePath)}}}")
            .AppendLine("  delete: {enabled: true}")
            .AppendLine("  maintenance:")
            .AppendLine("    uploadpurging: {enabled: true, age: 168h, interval: 24h, dryrun: false}")
            .AppendLine(CultureInfo.InvariantCulture, $"    readonly: {{enabled: {(ReadOnly ? "true" : "false")}}}")
            .AppendLine("http:")
            .AppendLine(CultureInfo.InvariantCulture, $"  addr: {Quote(ListenAddress)}")
            .AppendLine(CultureInfo.InvariantCulture, $"  secret: {Quote(HttpSecret)}")
            .AppendLine("  headers: {X-Content-Type-Options: [nosniff]}");
        if (Tls is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  tls: {{certificate: {Quote(Tls.CertificatePath)}, key: {Quote(Tls.KeyPath)}}}");
        }

        return yaml
            .AppendLine("auth:")
            .AppendLine("  token:")
            .AppendLine(CultureInfo.InvariantCulture, $"    realm: {Quote(Realm.ToString())}")
            .AppendLine(CultureInfo.InvariantCulture, $"    service: {Quote(RegistrySetup.ServiceName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    issuer: {Quote(RegistrySetup.IssuerName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    rootcertbundle: {Quote(RootCertBundle)}")
            .ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
