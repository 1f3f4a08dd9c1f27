using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Schema.Engine;
using Relais.Pipelines.Schema.Keywords;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema;

/// <summary>
/// Structural validation of a <c>.gitlab-ci.yml</c>: every keyword, the type of its value and GitLab's
/// constraints on it (enumerations, ranges, forms), reported as diagnostics with the node's location and
/// the key path in GitLab's style (<c>jobs:build:artifacts:when</c>). It follows GitLab's CI schema and,
/// where that is looser than GitLab itself, GitLab.
/// <para>
/// It does not resolve anything: a <c>!reference</c> is accepted wherever a value goes, <c>needs</c> and
/// <c>stage</c> are not matched against other jobs or the stages, and <c>script</c> is not required (a
/// job may get it through <c>extends</c>). Hidden keys (<c>.name</c>) are templates and are not checked
/// until a job extends them. A job that still has <c>extends</c> is checked as a fragment: keys its
/// parents may supply through the deep merge are not required yet, and a keyword set to null (which
/// removes the inherited value) is accepted. Checking the job again after the merge checks it whole.
/// </para>
/// The methods are thread-safe; each reports into the caller's <see cref="DiagnosticBag"/>.
/// </summary>
public static class SchemaValidator
{
    /// <summary>GitLab's limit on the length of a job name.</summary>
    private const int MaxJobNameLength = 255;

    /// <summary>The top-level keywords; any other top-level key is a job (hidden when it starts with a dot).</summary>
    public static IReadOnlyCollection<string> GlobalKeywordNames { get; } = [.. GlobalKeywords.All.Keys];

    /// <summary>Every keyword a job can use.</summary>
    public static IReadOnlyCollection<string> JobKeywordNames { get; } = [.. JobKeywords.Job.Keywords];

    /// <summary>Whether a top-level key is a global keyword rather than the name of a job.</summary>
    public static bool IsGlobalKeyword(string key) => GlobalKeywords.All.ContainsKey(key);

    /// <summary>Whether a top-level key is a hidden job (a template), which GitLab does not run or check by itself.</summary>
    public static bool IsHidden(string key) => key.StartsWith('.');

    /// <summary>Checks a whole configuration document: its global keywords and its jobs.</summary>
    public static void ValidateDocument(YamlMapping document, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(bag);
        foreach (var entry in document.Entries)
        {
            if (IsGlobalKeyword(entry.Key))
            {
                ValidateGlobal(entry, bag);
            }
            else if (IsHidden(entry.Key))
            {
                continue;
            }
            else if (entry.Value is YamlMapping job)
            {
                ValidateJob(entry.Key, job, entry.KeyLocation, bag);
            }
            else if (entry.Value is not YamlReference)
            {
                NotAJob(entry, bag);
            }
        }
    }

    /// <summary>Checks one top-level keyword (<see cref="IsGlobalKeyword"/>) and its value.</summary>
    /// <exception cref="ArgumentException">The entry's key is not a global keyword.</exception>
    public static void ValidateGlobal(YamlEntry entry, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (!GlobalKeywords.All.TryGetValue(entry.Key, out var shape))
        {
            throw new ArgumentException($"`{entry.Key}` is not a global keyword", nameof(entry));
        }

        var checker = new Checker(bag);
        var at = new At(entry.Key, Fragment: false);
        checker.Check(shape, entry.Value, at);
        if (GlobalKeywords.DeprecatedGlobals.Contains(entry.Key))
        {
            checker.Warning(SchemaCodes.Deprecated, entry.KeyLocation, at,
                $"a top-level `{entry.Key}` is deprecated; set it under `default:` instead");
        }
    }

    /// <summary>
    /// Checks one job's keywords and their values (as <c>jobs:NAME</c>). Does not require <c>script</c>
    /// and does not look at other jobs or stages.
    /// </summary>
    public static void ValidateJob(string name, YamlMapping job, SourceLocation keyLocation, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(bag);
        var checker = new Checker(bag);
        var at = new At("jobs:" + name, Fragment: job.ContainsKey("extends"));
        if (name.Length > MaxJobNameLength)
        {
            checker.BadValue(keyLocation, at, $"a job name is at most {MaxJobNameLength} characters long; this one has {name.Length}");
        }

        checker.Check(JobKeywords.Job, job, at);
    }

    /// <summary>A top-level key that is not a keyword names a job, and a job is a hash: say what was probably meant.</summary>
    private static void NotAJob(YamlEntry entry, DiagnosticBag bag)
    {
        var message = $"jobs:{entry.Key}: `{entry.Key}` is not a top-level keyword, so it is read as a job, " +
            $"and a job must be a hash of keywords, but {NodeFacts.Actual(entry.Value)}";
        if (JobKeywords.Job.Keywords.Contains(entry.Key, StringComparer.Ordinal))
        {
            message += $" (`{entry.Key}` is a job keyword: put it inside a job)";
        }
        else if (Suggestions.Closest(entry.Key, GlobalKeywords.All.Keys) is { } near)
        {
            message += $" (did you mean `{near}`?)";
        }

        bag.Error(SchemaCodes.WrongType, entry.Value.Location, message);
    }
}
