using System.Text.RegularExpressions;
using Relais.Pipelines.Context;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's rules for what the environments API accepts: a name of letters, digits, <c>-</c>, <c>_</c>, <c>/</c>,
/// <c>$</c>, <c>{</c>, <c>}</c>, <c>.</c> and spaces that neither starts nor ends with <c>/</c> (at most 255
/// characters), an <c>external_url</c> that is an http(s) URL, a known tier, and the list's <c>search</c> (a prefix
/// of the name or of a name's part after a folder's <c>/</c>).
/// </summary>
internal static partial class EnvironmentInput
{
    public const string NameRule = "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'";

    public const int MinSearchLength = 3;

    /// <summary>Why GitLab would refuse <paramref name="name"/> (the model error on <c>name</c>), or null when it is fine.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length == 0 ? "can't be blank"
            : name.Length > 255 ? "is too long (maximum is 255 characters)"
            : NamePattern().IsMatch(name) ? null
            : NameRule;
    }

    /// <summary>Why GitLab would refuse <paramref name="url"/> as an <c>external_url</c>, or null (empty: no URL).</summary>
    public static string? UrlProblem(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (url.Length > 255)
        {
            return "is too long (maximum is 255 characters)";
        }

        return !Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? "must be a valid URL"
            : parsed.Scheme is "http" or "https" ? null
            : "is blocked: Only allowed schemes are http, https";
    }

    public static bool IsTier(string tier) => EnvironmentTiers.IsKnown(tier);

    /// <summary>GitLab's <c>search</c>: the name starts with it, or a part of the name after a <c>/</c> does (case-insensitive).</summary>
    public static bool MatchesSearch(string name, string search)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(search, StringComparison.OrdinalIgnoreCase)
            || name.Split('/').Skip(1).Any(part => part.StartsWith(search, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9_${}. -]([a-zA-Z0-9_/${}. -]*[a-zA-Z0-9_${}. -])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
