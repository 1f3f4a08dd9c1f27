using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Dispatch;

/// <summary>
/// GitLab's default Kubernetes namespace of a job deploying through a cluster setting: the cluster's namespace when it
/// has one (followed by <c>-</c> and the environment slug for a managed cluster with a namespace per environment),
/// otherwise <c>&lt;project path&gt;-&lt;project id&gt;</c>, followed by <c>-</c> and the environment slug with a namespace per
/// environment, lowercased, every character other than <c>a-z</c>, <c>0-9</c> and <c>-</c> made <c>-</c> and leading
/// dashes dropped.
/// </summary>
public static partial class KubernetesNamespaces
{
    /// <param name="clusterNamespace">The cluster's own namespace setting, if any.</param>
    /// <param name="managed">Whether the cluster is "GitLab-managed".</param>
    /// <param name="perEnvironment">The cluster's <c>namespace_per_environment</c>.</param>
    /// <param name="projectPath">The project's path (its last segment, not the full path).</param>
    /// <param name="projectId">The project's id.</param>
    /// <param name="environmentSlug">The job's environment slug.</param>
    public static string Default(string? clusterNamespace, bool managed, bool perEnvironment, string projectPath, long projectId, string environmentSlug)
    {
        ArgumentNullException.ThrowIfNull(projectPath);
        if (!string.IsNullOrEmpty(clusterNamespace))
        {
            return managed && perEnvironment ? $"{clusterNamespace}-{environmentSlug}" : clusterNamespace;
        }

        var name = $"{projectPath}-{projectId.ToString(CultureInfo.InvariantCulture)}".ToLowerInvariant();
        if (perEnvironment)
        {
            name += "-" + environmentSlug;
        }

        return LeadingDashes().Replace(NotAllowed().Replace(name, "-"), "");
    }

    [GeneratedRegex("[^-a-z0-9]")]
    private static partial Regex NotAllowed();

    [GeneratedRegex("^-+")]
    private static partial Regex LeadingDashes();
}
