using System.Text.RegularExpressions;

namespace Relais.Server.Registry;

/// <summary>
/// A registry repository name split into the project it belongs to and the path below it, as GitLab reads
/// <c>group/sub/app/cache</c>: the project is the longest prefix that is a project's path, and at most
/// <see cref="MaxLevelsBelowProject"/> names may follow it. Names are Distribution's: lowercase components of letters and
/// digits joined by <c>.</c>, <c>_</c>, <c>__</c> or dashes, separated by <c>/</c>.
/// </summary>
public static partial class RegistryRepositoryName
{
    /// <summary>GitLab allows an image path of up to three names below the project's (<c>group/app/a/b/c</c>).</summary>
    public const int MaxLevelsBelowProject = 3;

    /// <summary>Whether <paramref name="name"/> is a repository name Distribution and GitLab accept (lowercase, at least two components).</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= 255 } && name.Contains('/', StringComparison.Ordinal) && Grammar().IsMatch(name);

    /// <summary>
    /// The ways <paramref name="name"/> may split into a project path and the rest (<c>""</c> for the project's own
    /// image), longest project path first; none for an invalid name.
    /// </summary>
    public static IEnumerable<(string ProjectPath, string Below)> Splits(string name)
    {
        if (!IsValid(name))
        {
            yield break;
        }

        var parts = name.Split('/');
        for (var take = parts.Length; take >= 2 && parts.Length - take <= MaxLevelsBelowProject; take--)
        {
            yield return (string.Join('/', parts[..take]), string.Join('/', parts[take..]));
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
