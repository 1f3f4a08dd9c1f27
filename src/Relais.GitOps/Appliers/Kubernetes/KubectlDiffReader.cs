using System.Text.RegularExpressions;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// Turns <c>kubectl diff</c>'s unified diff into <see cref="DiffEntry"/>s. kubectl compares one file per object, named
/// <c>group.version.Kind.namespace.name</c> (<c>apps.v1.Deployment.app.web</c>, <c>v1.Namespace..app</c>); each is
/// matched to the rendered object it stands for. An object whose live side is empty (<c>@@ -0,0 …</c>) is created; the
/// others are updated, with the image change as the detail when there is one, else the count of lines changed.
/// </summary>
public static partial class KubectlDiffReader
{
    /// <summary>The entries of a diff, in its order.</summary>
    public static IReadOnlyList<DiffEntry> Read(string diff, IReadOnlyList<RenderedObject> rendered)
    {
        var entries = new List<DiffEntry>();
        foreach (var section in Sections(diff))
        {
            var file = section[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
            var fileName = file[(file.LastIndexOf('/') + 1)..];
            var target = rendered.Select(o => o.Ref).FirstOrDefault(r => Names(r, fileName))?.ToString() ?? fileName;
            var created = section.Any(line => line.StartsWith("@@ -0,0 ", StringComparison.Ordinal));
            entries.Add(new DiffEntry(target, created ? "create" : "update", created ? null : DetailOf(section)));
        }

        return entries;
    }

    /// <summary>Whether kubectl's file name <paramref name="fileName"/> is the object's (any namespace when it names none).</summary>
    public static bool Names(ObjectRef target, string fileName)
    {
        var prefix = (target.Group.Length == 0 ? "" : target.Group + ".") + $"{target.Version}.{target.Kind}.";
        var suffix = "." + target.Name;
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal) || !fileName.EndsWith(suffix, StringComparison.Ordinal)
            || fileName.Length < prefix.Length + suffix.Length)
        {
            return false;
        }

        var ns = fileName[prefix.Length..^suffix.Length];
        return target.Namespace is null ? !ns.Contains('.', StringComparison.Ordinal) : ns == target.Namespace;
    }

    private static IEnumerable<List<string>> Sections(string diff)
    {
        List<string>? section = null;
        foreach (var line in diff.Split('\n'))
        {
            if (line.StartsWith("diff ", StringComparison.Ordinal))
            {
                if (section is not null)
                {
                    yield return section;
                }

                section = [line.TrimEnd('\r')];
            }
            else
            {
                section?.Add(line.TrimEnd('\r'));
            }
        }

        if (section is not null)
        {
            yield return section;
        }
    }

    private static string DetailOf(List<string> section)
    {
        var removed = section.Where(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)).ToList();
        var added = section.Where(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)).ToList();
        var oldImages = removed.Select(l => ImageLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["image"].Value).ToList();
        var newImages = added.Select(l => ImageLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["image"].Value).ToList();
        if (oldImages.Count > 0 && oldImages.Count == newImages.Count)
        {
            return string.Join(", ", oldImages.Zip(newImages, (from, to) => $"image {from} → {to}"));
        }

        return $"{added.Count} line(s) added, {removed.Count} removed";
    }

    [GeneratedRegex(@"^[-+]\s*(?:-\s+)?image:\s*[""']?(?<image>[^\s""']+)")]
    private static partial Regex ImageLine();
}
