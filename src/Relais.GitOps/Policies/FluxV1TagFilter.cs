using System.Text.RegularExpressions;

namespace Relais.GitOps.Policies;

/// <summary>
/// A Flux v1 tag annotation's value (<c>flux.weave.works/tag.CONTAINER</c> or <c>fluxcd.io/tag.CONTAINER</c>):
/// <c>glob:PATTERN</c> (<c>*</c> any characters, <c>?</c> one; the default is <c>glob:*</c>), <c>semver:RANGE</c> or
/// <c>regexp:PATTERN</c> (a .NET regular expression with a match timeout, so the tutorial's <c>regexp:^((?!tmp).)*$</c>
/// works). Flux v1 picks the highest version for <c>semver:</c> and the most recently built image for the other two;
/// <see cref="Rule"/> is null for those, and the caller orders by the images' creation times.
/// </summary>
public sealed class FluxV1TagFilter
{
    private FluxV1TagFilter(TagFilter filter, ImagePolicyRule? rule)
    {
        Filter = filter;
        Rule = rule;
    }

    /// <summary>Which tags qualify.</summary>
    public TagFilter Filter { get; }

    /// <summary>The ordering for <c>semver:</c>; null: newest image first.</summary>
    public ImagePolicyRule? Rule { get; }

    public static FluxV1TagFilter? TryParse(string? annotation, out string? error)
    {
        error = null;
        var value = string.IsNullOrWhiteSpace(annotation) ? "glob:*" : annotation.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var (kind, pattern) = colon < 0 ? ("glob", value) : (value[..colon], value[(colon + 1)..]);
        switch (kind)
        {
            case "glob":
                return new FluxV1TagFilter(TagFilter.TryCreate("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", null, out error)!, null);
            case "regexp" or "regex":
                return TagFilter.TryCreate(pattern, null, out error) is { } filter ? new FluxV1TagFilter(filter, null) : null;
            case "semver":
                return SemverRange.TryParse(pattern, out error) is { } range ? new FluxV1TagFilter(TagFilter.All, new SemverPolicy(range)) : null;
            default:
                error = $"tag filter \"{value}\": expected glob:, semver: or regexp:";
                return null;
        }
    }
}
