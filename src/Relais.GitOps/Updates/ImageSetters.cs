using System.Text;
using System.Text.RegularExpressions;

namespace Relais.GitOps.Updates;

/// <summary>The image a policy picked: its repository (<c>registry/group/app</c>) and tag.</summary>
public sealed record PolicyImage(string Name, string Tag)
{
    public string Reference => Name + ":" + Tag;
}

/// <summary>One value a setter marker changed: where, what it referred to, and the old and new values.</summary>
public sealed record SetterChange(int Line, string Policy, string OldValue, string NewValue);

/// <summary>
/// Flux's "Setters" update strategy, done on the text so that comments, order and formatting stay as written: a YAML
/// scalar followed by a marker comment — <c>image: registry/app:1.0.0 # {"$imagepolicy": "flux-system:app"}</c> — gets the
/// policy's latest image; with <c>…:app:tag</c> only the tag, with <c>…:app:name</c> only the name. Plain, single- and
/// double-quoted scalars, mapping values and list items; a marker naming a policy that is unknown or has no latest
/// image leaves its line alone.
/// </summary>
public static partial class ImageSetters
{
    /// <summary>The text with every marked value updated, and what changed (empty when nothing did).</summary>
    public static (string Text, IReadOnlyList<SetterChange> Changes) Apply(string text, Func<string, PolicyImage?> latest)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(latest);
        var changes = new List<SetterChange>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var m = MarkedScalar().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            var (policy, field) = Split(m.Groups["ref"].Value);
            if (policy is null || latest(policy) is not { } image)
            {
                continue;
            }

            var old = m.Groups["value"].Value;
            var value = field switch
            {
                "tag" => image.Tag,
                "name" => image.Name,
                _ => image.Reference,
            };
            if (value == old)
            {
                continue;
            }

            var g = m.Groups["value"];
            lines[i] = new StringBuilder(lines[i]).Remove(g.Index, g.Length).Insert(g.Index, value).ToString();
            changes.Add(new SetterChange(i + 1, policy, old, value));
        }

        return (changes.Count == 0 ? text : string.Join('\n', lines), changes);
    }

    /// <summary><c>namespace:name</c> and the optional field (<c>tag</c>, <c>name</c>); null policy when the reference is malformed.</summary>
    private static (string? Policy, string? Field) Split(string reference)
    {
        var parts = reference.Split(':');
        return parts.Length switch
        {
            2 when parts.All(p => p.Length > 0) => (reference, null),
            3 when parts[..2].All(p => p.Length > 0) && parts[2] is "tag" or "name" => (parts[0] + ":" + parts[1], parts[2]),
            _ => (null, null),
        };
    }

    [GeneratedRegex("""^(?:\s*-\s+|\s*[^#'"\s][^#]*?:\s+|\s*-\s+[^#'"\s][^#]*?:\s+)(?<q>["']?)(?<value>[^"'\s#]+)\k<q>\s*#\s*\{\s*"\$imagepolicy"\s*:\s*"(?<ref>[^"]+)"\s*\}\s*\r?$""", RegexOptions.CultureInvariant)]
    private static partial Regex MarkedScalar();
}
