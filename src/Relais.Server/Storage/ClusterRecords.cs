namespace Relais.Server.Storage;

/// <summary>
/// A project's Kubernetes setting in the shape of GitLab's (deprecated) certificate-based cluster integration
/// ("add existing cluster"): where jobs whose environment matches <see cref="EnvironmentScope"/> deploy. Relais talks
/// to no cluster; it only gives those jobs the cluster's <c>KUBE_*</c> variables and a <c>KUBECONFIG</c>. The token is
/// kept encrypted by the store. Times are UTC text.
/// </summary>
public sealed record ClusterRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    /// <summary>Who added it (<c>user</c>); null once that user is gone.</summary>
    public long? UserId { get; init; }

    public string Name { get; init; } = "";

    /// <summary>The base domain (<c>domain</c>, jobs' <c>KUBE_INGRESS_BASE_DOMAIN</c>).</summary>
    public string? Domain { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>GitLab's "GitLab-managed cluster" flag (it changes the default namespace only).</summary>
    public bool Managed { get; init; } = true;

    public string EnvironmentScope { get; init; } = "*";

    public bool NamespacePerEnvironment { get; init; } = true;

    /// <summary><c>platform_kubernetes.api_url</c>.</summary>
    public string ApiUrl { get; init; } = "";

    /// <summary><c>platform_kubernetes.token</c>, in clear (the store seals it).</summary>
    public string Token { get; init; } = "";

    /// <summary><c>platform_kubernetes.ca_cert</c> (PEM), if any.</summary>
    public string? CaCert { get; init; }

    /// <summary><c>platform_kubernetes.namespace</c>, if any.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>rbac</c>, <c>abac</c> or <c>unknown_authorization</c>.</summary>
    public string AuthorizationType { get; init; } = "rbac";

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";
}
