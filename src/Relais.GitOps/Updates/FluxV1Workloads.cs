using System.Text;
using Relais.GitOps.Policies;
using Relais.GitOps.Registry;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Updates;

/// <summary>
/// Flux v1's automation, done on the text like <see cref="ImageSetters"/>: a manifest whose
/// <c>metadata.annotations</c> say <c>flux.weave.works/automated: "true"</c> (or <c>fluxcd.io/automated</c>) gets, in
/// each container (<c>spec.template.spec</c>'s, a CronJob's <c>spec.jobTemplate.spec.template.spec</c>'s and a Pod's
/// <c>spec</c>'s <c>containers</c> and <c>initContainers</c>), the latest tag of its image that the container's
/// <c>…/tag.NAME</c> annotation allows (<see cref="FluxV1TagFilter"/>; none means <c>glob:*</c>): for <c>semver:</c>
/// the highest version, otherwise the most recently built image. An image pinned by digest, a container whose
/// annotation does not parse and the mutable tag <c>latest</c> (for <c>glob:</c>/<c>regexp:</c>) are left alone.
/// </summary>
public static class FluxV1Workloads
{
    private static readonly string[] Prefixes = ["flux.weave.works/", "fluxcd.io/"];

    private static readonly string[][] PodSpecs =
    [
        ["spec", "template", "spec"],
        ["spec", "jobTemplate", "spec", "template", "spec"],
        ["spec"],
    ];

    /// <summary>The text with every automated container's image updated, and what changed.</summary>
    public static async Task<(string Text, IReadOnlyList<SetterChange> Changes)> ApplyAsync(string file, string text, ITagSource tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tags);
        if (!text.Contains("/automated", StringComparison.Ordinal))
        {
            return (text, []);
        }

        var documents = YamlLoader.LoadDocuments(file, text, new DiagnosticBag()) ?? [];
        var lines = text.Split('\n');
        var changes = new List<SetterChange>();
        foreach (var document in documents.OfType<YamlMapping>())
        {
            if (Annotations(document) is not { } annotations || !IsAutomated(annotations))
            {
                continue;
            }

            foreach (var container in Containers(document))
            {
                if (await UpdateAsync(container, annotations, lines, tags, cancellationToken).ConfigureAwait(false) is { } change)
                {
                    changes.Add(change);
                }
            }
        }

        return (changes.Count == 0 ? text : string.Join('\n', lines), changes);
    }

    private static async Task<SetterChange?> UpdateAsync(YamlMapping container, YamlMapping annotations, string[] lines, ITagSource tags, CancellationToken cancellationToken)
    {
        if (container["name"] is not YamlScalar { IsNull: false } nameNode || container["image"] is not YamlScalar { IsNull: false } imageNode)
        {
            return null;
        }

        var name = nameNode.AsText();
        var image = imageNode.AsText();
        var annotationKey = Prefixes.Select(p => p + "tag." + name).FirstOrDefault(k => annotations[k] is not null) ?? Prefixes[0] + "tag." + name;
        var annotation = (annotations[annotationKey] as YamlScalar)?.AsText();
        if (image.Contains('@', StringComparison.Ordinal) || FluxV1TagFilter.TryParse(annotation, out _) is not { } filter)
        {
            return null;
        }

        var (repository, current) = SplitImage(image);
        var reference = ImageReference.Parse(repository);
        var available = await tags.TagsAsync(reference, cancellationToken).ConfigureAwait(false);
        var latest = filter.Rule is { } rule
            ? rule.Latest(available, filter.Filter)
            : await NewestAsync(reference, available.Where(t => t != "latest" && filter.Filter.Apply(t) is not null), tags, cancellationToken).ConfigureAwait(false);
        if (latest is null || latest == current)
        {
            return null;
        }

        var updated = repository + ":" + latest;
        var index = imageNode.Location.Line - 1;
        var line = lines[index];
        var at = line.IndexOf(image, Math.Max(0, imageNode.Location.Column - 2), StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        lines[index] = new StringBuilder(line).Remove(at, image.Length).Insert(at, updated).ToString();
        return new SetterChange(index + 1, annotationKey, image, updated);
    }

    /// <summary>The most recently built of <paramref name="candidates"/> (ties: the tag last by ordinal order).</summary>
    private static async Task<string?> NewestAsync(ImageReference image, IEnumerable<string> candidates, ITagSource tags, CancellationToken cancellationToken)
    {
        string? best = null;
        DateTimeOffset? bestAt = null;
        foreach (var tag in candidates)
        {
            var at = await tags.CreatedAsync(image, tag, cancellationToken).ConfigureAwait(false);
            var c = best is null ? 1 : Nullable.Compare(at, bestAt);
            if (c > 0 || (c == 0 && string.CompareOrdinal(tag, best) > 0))
            {
                (best, bestAt) = (tag, at);
            }
        }

        return best;
    }

    /// <summary>The repository and tag of an image reference (<c>latest</c> when it names none).</summary>
    internal static (string Repository, string Tag) SplitImage(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private static YamlMapping? Annotations(YamlMapping document) =>
        (document["metadata"] as YamlMapping)?["annotations"] as YamlMapping;

    private static bool IsAutomated(YamlMapping annotations) =>
        Prefixes.Any(p => annotations[p + "automated"] is YamlScalar scalar && scalar.AsText() == "true");

    private static IEnumerable<YamlMapping> Containers(YamlMapping document)
    {
        foreach (var path in PodSpecs)
        {
            YamlNode? node = document;
            foreach (var key in path)
            {
                node = (node as YamlMapping)?[key];
            }

            if (node is not YamlMapping spec)
            {
                continue;
            }

            foreach (var list in new[] { "initContainers", "containers" })
            {
                if (spec[list] is YamlSequence containers)
                {
                    foreach (var container in containers.Items.OfType<YamlMapping>())
                    {
                        yield return container;
                    }
                }
            }

            yield break;
        }
    }
}
