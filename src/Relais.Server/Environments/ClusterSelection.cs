using Relais.Dispatch;
using Relais.Pipelines.Context;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Which of a project's Kubernetes settings a job deploys through, as GitLab picks a deployment platform: only for a
/// job with an environment, among the enabled settings whose environment scope matches its (expanded) name, the most
/// specific scope (the exact name, then the longest pattern, then <c>*</c>). The default namespace follows GitLab's rule
/// (<see cref="KubernetesNamespaces"/>).
/// </summary>
internal static class ClusterSelection
{
    public static JobKubernetes? For(IReadOnlyList<ClusterRecord> clusters, ProjectRecord project, ResolvedEnvironment? environment)
    {
        if (environment is null)
        {
            return null;
        }

        var chosen = clusters
            .Where(c => c.Enabled && EnvironmentScopes.Matches(c.EnvironmentScope, environment.Name))
            .OrderByDescending(c => EnvironmentScopes.Specificity(c.EnvironmentScope))
            .FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }

        var ns = KubernetesNamespaces.Default(chosen.Namespace, chosen.Managed, chosen.NamespacePerEnvironment, project.Name, project.Id, environment.Slug);
        return new JobKubernetes(chosen.ApiUrl, chosen.Token, chosen.CaCert, ns, chosen.Domain);
    }
}
