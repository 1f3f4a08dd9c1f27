using Relais.Pipelines.Schema.Engine;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>cache</c>: one hash or a list of up to four, and the rules for its <c>key</c>.</summary>
internal static class CacheKeywords
{
    /// <summary>GitLab creates at most this many caches per job.</summary>
    public const int MaxCaches = 4;

    /// <summary>GitLab accepts more than two <c>key:files</c> only behind a feature flag (up to ten).</summary>
    private const int PortableKeyFiles = 2;

    private static readonly StrShape KeyText = new() { Rule = KeyProblem };

    private static readonly MapShape KeyFiles = new()
    {
        ["files"] = new ListShape(Common.String) { Min = 1, Max = 10, Text = "a list of 1 to 10 paths" },
        ["files_commits"] = new ListShape(Common.String) { Min = 1, Max = 2, Text = "a list of 1 or 2 paths" },
        ["prefix"] = Common.String,
        Rules = [ManyKeyFiles],
    };

    private static readonly UnionShape Key = new(KeyText, KeyFiles)
    {
        Text = "a string, or a hash with `files` or `files_commits`",
    };

    private static readonly MapShape Item = new()
    {
        ["key"] = Key,
        ["paths"] = Common.Strings,
        ["untracked"] = Common.Bool,
        ["unprotect"] = Common.Bool,
        ["policy"] = new StrShape { Rule = PolicyProblem },
        ["when"] = new StrShape { Values = ["on_success", "on_failure", "always"] },
        ["fallback_keys"] = new ListShape(Common.String) { Max = 5, Text = "a list of up to 5 keys" },
    };

    public static readonly UnionShape Cache = new(Item, new ListShape(Item) { Max = MaxCaches, Text = "a list of caches" })
    {
        Text = "a hash, or a list of up to 4 hashes",
    };

    /// <summary>
    /// A cache key names a directory on the runner: after URL-decoding it must not contain a slash, and
    /// it must not be only dots (<c>.</c>, <c>..</c>) or empty.
    /// </summary>
    private static string? KeyProblem(string key)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(key);
        }
        catch (UriFormatException)
        {
            decoded = key;
        }

        if (decoded.Contains('/', StringComparison.Ordinal))
        {
            return $"{NodeFacts.Quote(key)} must not contain `/`" + (key.Contains('/', StringComparison.Ordinal) ? "" : " (written `%2F`)");
        }

        return decoded.All(c => c == '.') ? $"{NodeFacts.Quote(key)} is not a usable cache key; it must not be empty or only dots" : null;
    }

    private static string? PolicyProblem(string policy) =>
        policy is "pull-push" or "pull" or "push" || Patterns.Variable().IsMatch(policy)
            ? null
            : $"{NodeFacts.Quote(policy)} is not one of pull-push, pull, push, or a `$VARIABLE`"
              + (Suggestions.Closest(policy, ["pull-push", "pull", "push"]) is { } near ? $" (did you mean `{near}`?)" : "");

    private static void ManyKeyFiles(YamlMapping map, At at, Checker checker)
    {
        if (map["files"] is YamlSequence { Items.Length: > PortableKeyFiles and <= 10 } files)
        {
            checker.Warning(SchemaCodes.BadValue, files.Location, at.Key("files"),
                $"GitLab uses more than {PortableKeyFiles} files for a cache key only when its `increase_ci_cache_key_files_limit` feature is on");
        }
    }
}
