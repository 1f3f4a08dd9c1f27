using Relais.GitOps.Config;

namespace Relais.GitOps.Reporting;

/// <summary>
/// Where a resource's applies are reported in Relais: a project (<c>group/app</c>) and an environment. A
/// <c>SwarmStack</c> names them in its spec (<c>project:</c>, <c>environment:</c>); any resource (a
/// <c>Kustomization</c>, a <c>ComposeProject</c>, whose <c>project:</c> is the Compose project) may use the annotations
/// <c>gitops.relais.dev/project</c> and <c>gitops.relais.dev/environment</c>. Spec fields win.
/// </summary>
public sealed record DeploymentTarget(string Project, string Environment)
{
    public const string ProjectAnnotation = "gitops.relais.dev/project";
    public const string EnvironmentAnnotation = "gitops.relais.dev/environment";

    /// <summary>The target of <paramref name="resource"/>, or null when it names no project or no environment.</summary>
    public static DeploymentTarget? Of(GitOpsResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var docker = resource as DockerDeployment;
        var project = docker?.Project ?? resource.Annotations.GetValueOrDefault(ProjectAnnotation);
        var environment = docker?.Environment ?? resource.Annotations.GetValueOrDefault(EnvironmentAnnotation);
        return string.IsNullOrEmpty(project) || string.IsNullOrEmpty(environment) ? null : new DeploymentTarget(project, environment);
    }
}
