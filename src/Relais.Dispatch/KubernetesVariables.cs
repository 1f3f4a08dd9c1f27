using Relais.Protocol.Jobs;

namespace Relais.Dispatch;

/// <summary>
/// GitLab's deployment variables of a job whose environment a project cluster setting covers, in GitLab's order:
/// <c>KUBE_URL</c>, <c>KUBE_CA_PEM</c> and <c>KUBE_CA_PEM_FILE</c> (a file) when the cluster has a CA,
/// <c>KUBE_TOKEN</c> (masked), <c>KUBE_NAMESPACE</c> (the job's <c>environment:kubernetes:namespace</c>, else the
/// cluster's default), <c>KUBECONFIG</c> (a file: <see cref="KubeConfig"/>) and <c>KUBE_INGRESS_BASE_DOMAIN</c>
/// when the cluster has a base domain. None for a job without an environment.
/// </summary>
public static class KubernetesVariables
{
    public static IEnumerable<JobVariable> For(JobKubernetes? cluster, ResolvedEnvironment? environment)
    {
        if (cluster is null || environment is null)
        {
            yield break;
        }

        yield return new JobVariable("KUBE_URL", cluster.ApiUrl);
        if (!string.IsNullOrEmpty(cluster.CaPem))
        {
            yield return new JobVariable("KUBE_CA_PEM", cluster.CaPem);
            yield return new JobVariable("KUBE_CA_PEM_FILE", cluster.CaPem, file: true);
        }

        var ns = string.IsNullOrEmpty(environment.KubernetesNamespace) ? cluster.DefaultNamespace : environment.KubernetesNamespace;
        yield return new JobVariable("KUBE_TOKEN", cluster.Token, isPublic: false, masked: true);
        yield return new JobVariable("KUBE_NAMESPACE", ns);
        yield return new JobVariable("KUBECONFIG", KubeConfig.Of(cluster.ApiUrl, ns, cluster.Token, cluster.CaPem), isPublic: false, file: true);
        if (!string.IsNullOrEmpty(cluster.BaseDomain))
        {
            yield return new JobVariable("KUBE_INGRESS_BASE_DOMAIN", cluster.BaseDomain);
        }
    }
}
