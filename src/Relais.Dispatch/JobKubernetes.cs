namespace Relais.Dispatch;

/// <summary>
/// The cluster a job deploys to, from the project's Kubernetes setting whose environment scope matches the job's
/// environment (GitLab's certificate-based cluster integration): what the job's <c>KUBE_*</c> variables and
/// <c>KUBECONFIG</c> are made of (<see cref="KubernetesVariables"/>).
/// </summary>
/// <param name="ApiUrl">The API server's URL (<c>KUBE_URL</c>).</param>
/// <param name="Token">The service account token (<c>KUBE_TOKEN</c>, masked).</param>
/// <param name="CaPem">The API server's CA certificate (PEM), if any (<c>KUBE_CA_PEM</c>, <c>KUBE_CA_PEM_FILE</c>).</param>
/// <param name="DefaultNamespace">The namespace when the job's <c>environment:kubernetes:namespace</c> names none
/// (<see cref="KubernetesNamespaces.Default"/>).</param>
/// <param name="BaseDomain">The cluster's base domain, if any (<c>KUBE_INGRESS_BASE_DOMAIN</c>).</param>
public sealed record JobKubernetes(string ApiUrl, string Token, string? CaPem, string DefaultNamespace, string? BaseDomain);
