namespace Relais.Dispatch;

/// <summary>
/// The container registry as a job sees it (issue #15): its <c>host:port</c> (<c>CI_REGISTRY</c>), the project's image
/// (<c>CI_REGISTRY_IMAGE</c>), and the PEM of the CA its TLS certificate is signed by (null when it is plain HTTP).
/// Null in <see cref="JobDispatch.Registry"/> when there is no registry (registry off, <c>relais run</c>).
/// </summary>
public sealed record JobRegistry(string Address, string Image, string? CaCertificatePem)
{
    /// <summary>The user registry logins with a job token take (<c>CI_REGISTRY_USER</c>), as in GitLab.</summary>
    public const string JobTokenUser = "gitlab-ci-token";

    /// <summary>Relais's own file-type variable holding <see cref="CaCertificatePem"/>: runners make engines and jobs trust it.</summary>
    public const string CaFileVariable = "RELAIS_REGISTRY_CA_FILE";
}
