using Relais.GitOps.Config;

namespace Relais.GitOps.Agent;

/// <summary>
/// <c>relais gitops suspend|resume NAME</c>: a marker file per suspended resource under <c>&lt;state&gt;/suspended/</c>,
/// which a running agent reads at each interval. A resource's own <c>spec.suspend: true</c> wins over <c>resume</c>.
/// </summary>
public sealed class SuspendMarkers(string stateDirectory)
{
    private string Folder => Path.Combine(stateDirectory, "suspended");

    public bool IsSuspended(GitOpsResource resource) => File.Exists(PathOf(resource));

    public void Suspend(GitOpsResource resource)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(resource), AgentLog.Label(resource) + "\n");
    }

    /// <summary>Removes the marker; false when there was none.</summary>
    public bool Resume(GitOpsResource resource)
    {
        var path = PathOf(resource);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private string PathOf(GitOpsResource resource) => Path.Combine(Folder, $"{resource.Kind}.{resource.Namespace}.{resource.Name}");
}
