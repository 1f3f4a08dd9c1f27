namespace Relais.Server.Registry;

/// <summary>
/// The container registry as <c>relais serve</c> runs it (issue #15), once it is set up: where jobs, DinD services and
/// the host's Docker reach it, how the coordinator calls it, the CA its TLS certificate is signed by, and the token
/// issuer. Null in <see cref="ServerHost.Registry"/> when the registry is off.
/// </summary>
public sealed record RegistrySetup
{
    /// <summary>GitLab's registry service name (the token's audience, <c>service=</c> of token requests).</summary>
    public const string ServiceName = "container_registry";

    /// <summary>The token issuer named in the registry's config.</summary>
    public const string IssuerName = "relais-issuer";

    /// <summary><c>host:port</c> as images are named with it (<c>CI_REGISTRY</c>): reachable from job containers, DinD services and the host.</summary>
    public required string Address { get; init; }

    /// <summary>The registry's base URL for the coordinator's own calls (<c>https://ADDRESS</c>, or <c>http://</c> with <see cref="Insecure"/>).</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>Plain HTTP (<c>--registry-insecure</c>): every Docker engine that uses it must list it in <c>insecure-registries</c>.</summary>
    public bool Insecure { get; init; }

    /// <summary>The PEM of the CA that signed the registry's TLS certificate (null with <see cref="Insecure"/>): jobs and engines trust it.</summary>
    public string? CaCertificatePem { get; init; }

    /// <summary>The URL Docker clients get tokens from (<c>…/jwt/auth</c>), as the registry's config names it.</summary>
    public required Uri Realm { get; init; }

    /// <summary>Signs tokens for clients and for the coordinator's own calls.</summary>
    public required RegistryTokenIssuer Tokens { get; init; }

    /// <summary>Garbage collection in read-only mode; null where the process is not supervised by this server.</summary>
    public IRegistryMaintenance? Maintenance { get; init; }

    /// <summary>The registry path of a project's image (<c>CI_REGISTRY_IMAGE</c> without the address): its path, lowercased.</summary>
    public static string ImagePath(string projectPath) => projectPath.ToLowerInvariant();

    /// <summary><c>CI_REGISTRY_IMAGE</c> of a project: <c>ADDRESS/group/app</c>.</summary>
    public string ImageOf(string projectPath) => Address + "/" + ImagePath(projectPath);
}
