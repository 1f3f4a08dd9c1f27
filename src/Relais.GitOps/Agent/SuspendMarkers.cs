using System.Text;
using Relais.GitOps.Config;

namespace Relais.GitOps.Agent;

/// <summary>
/// <c>relais gitops suspend|resume NAME</c>: a marker file per suspended NAME under <c>&lt;state&gt;/suspended/</c>, holding
/// the NAME (<c>name</c>, <c>kind/name</c>, <c>namespace/name</c> or <c>kind/namespace/name</c>), which a running agent
/// reads at each interval. A resource's own <c>spec.suspend: true</c> wins over <c>resume</c>.
/// </summary>
public sealed class SuspendMarkers(string stateDirectory)
{
    private string Folder => Path.Combine(stateDirectory, "suspended");

    /// <summary>Whether a marker names <paramref name="resource"/>.</summary>
    public bool IsSuspended(GitOpsResource resource) => Markers().Any(m => ResourceNames.Fits(resource, m.Name));

    /// <summary>Writes a marker for <paramref name="name"/> (a resource's canonical <c>kind/namespace/name</c> when the configuration is known).</summary>
    public void Suspend(string name)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(name), name + "\n");
    }

    public void Suspend(GitOpsResource resource) => Suspend(ResourceNames.Canonical(resource));

    /// <summary>Removes every marker naming <paramref name="resource"/>; false when there was none.</summary>
    public bool Resume(GitOpsResource resource)
    {
        var removed = false;
        foreach (var marker in Markers().Where(m => ResourceNames.Fits(resource, m.Name)))
        {
            File.Delete(marker.Path);
            removed = true;
        }

        return removed;
    }

    /// <summary>Removes the marker written for exactly <paramref name="name"/>; false when there was none.</summary>
    public bool Resume(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private IEnumerable<(string Path, string Name)> Markers() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder).Select(f => (f, File.ReadAllText(f).Trim()))
        : [];

    /// <summary>The marker's file name: the NAME with <c>/</c> as <c>.</c> and anything else outside letters, digits, <c>.-_</c> as <c>_XX</c>.</summary>
    private string PathOf(string name)
    {
        var file = new StringBuilder();
        foreach (var c in name)
        {
            file.Append(c == '/' ? "." : char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c.ToString() : $"_{(int)c:x2}");
        }

        return Path.Combine(Folder, file.ToString());
    }
}
