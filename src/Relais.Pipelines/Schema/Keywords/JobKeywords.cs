using Relais.Pipelines.Schema.Engine;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// The keyword table of a job. It is structural only: it does not require <c>script</c> (a job may get
/// it through <c>extends</c>) and does not look at other jobs or at the stages (later compiler stages do).
/// </summary>
internal static class JobKeywords
{
    private static readonly StrShape When = new()
    {
        Values = ["on_success", "on_failure", "always", "manual", "delayed"],
        Notes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["never"] = "`when: never` is only valid inside `rules`",
        },
    };

    /// <summary>Keywords that belong at the top level and have no meaning inside a job.</summary>
    private static readonly Dictionary<string, string> GlobalOnly = new[] { "include", "stages", "workflow", "default", "spec" }
        .ToDictionary(k => k, k => $"`{k}` is a top-level keyword and cannot be used inside a job", StringComparer.Ordinal);

    /// <summary>
    /// <c>tags</c>, shared with <c>default</c>: a list of non-empty names (or lists of names). GitLab accepts an
    /// empty list (only its editor's JSON schema forbids it): the job then runs on untagged runners.
    /// </summary>
    public static readonly ListShape Tags = new(new UnionShape(Common.NonEmptyString, Common.NonEmptyStrings)
    {
        Text = "a tag name",
    })
    {
        Text = "a list of tags",
    };

    /// <summary><c>identity</c>, shared with <c>default</c>: the identity provider to federate with.</summary>
    public static readonly StrShape Identity = new() { Values = ["google_cloud"] };

    public static readonly MapShape Job = new()
    {
        Misplaced = GlobalOnly,
        ["script"] = Common.Script,
        ["run"] = StepKeywords.Run,
        ["before_script"] = Common.OptionalScript,
        ["after_script"] = Common.OptionalScript,
        ["stage"] = Common.NonEmptyString,
        ["type"] = Common.NonEmptyString,
        ["image"] = ImageKeywords.Image,
        ["services"] = ImageKeywords.Services,
        ["variables"] = Common.JobVariables,
        ["rules"] = RuleKeywords.JobRules,
        ["only"] = RuleKeywords.Filter,
        ["except"] = RuleKeywords.Filter,
        ["when"] = When,
        ["start_in"] = Common.NonEmptyString,
        ["manual_confirmation"] = Common.String,
        ["allow_failure"] = JobValueKeywords.AllowFailure,
        ["needs"] = NeedsKeywords.Needs,
        ["dependencies"] = Common.Strings,
        ["parallel"] = NeedsKeywords.Parallel,
        ["cache"] = CacheKeywords.Cache,
        ["artifacts"] = ArtifactKeywords.Artifacts,
        ["environment"] = JobValueKeywords.Environment,
        ["retry"] = JobValueKeywords.Retry,
        ["timeout"] = Common.NonEmptyString,
        ["tags"] = Tags,
        ["coverage"] = JobValueKeywords.Coverage,
        ["trigger"] = TriggerKeywords.Trigger,
        ["release"] = JobValueKeywords.Release,
        ["secrets"] = SecretKeywords.Secrets,
        ["id_tokens"] = SecretKeywords.IdTokens,
        ["hooks"] = JobValueKeywords.Hooks,
        ["pages"] = JobValueKeywords.Pages,
        ["publish"] = Common.String,
        ["interruptible"] = Common.Bool,
        ["resource_group"] = Common.String,
        ["extends"] = new UnionShape(Common.String, Common.NonEmptyStrings) { Text = "a job name or a list of job names" },
        ["inherit"] = JobValueKeywords.Inherit,
        ["identity"] = Identity,
        ["dast_configuration"] = JobValueKeywords.DastConfiguration,
        ["inputs"] = InputKeywords.JobInputs,
        Rules =
        [
            KeyRules.NotTogether("script", "run", "a job runs either `script` or `run` steps"),
            KeyRules.NotTogether("rules", "only", "`rules` replaces `only` and `except`"),
            KeyRules.NotTogether("rules", "except", "`rules` replaces `only` and `except`"),
            DelayedNeedsStartIn,
            Deprecations,
        ],
    };

    /// <summary>
    /// <c>when: delayed</c> needs <c>start_in</c>; <c>start_in</c> means nothing without it. A fragment's
    /// parents may supply either half, so fragments are not checked.
    /// </summary>
    private static void DelayedNeedsStartIn(YamlMapping job, At at, Checker checker)
    {
        if (at.Fragment)
        {
            return;
        }

        var delayed = KeyRules.TextOf(job, "when") == "delayed";
        if (delayed && !job.ContainsKey("start_in"))
        {
            checker.MissingKey(job, at, "start_in", "when: delayed");
        }
        else if (!delayed && job.Entry("start_in") is { } startIn && !job.ContainsKey("rules"))
        {
            checker.Conflict(startIn.KeyLocation, at, "`start_in` only applies to a job with `when: delayed`");
        }
    }

    private static void Deprecations(YamlMapping job, At at, Checker checker)
    {
        if (job.Entry("type") is { } type)
        {
            checker.Warning(SchemaCodes.Deprecated, type.KeyLocation, at, "`type` is deprecated; use `stage`");
        }

        if (job.Entry("publish") is { } publish)
        {
            checker.Warning(SchemaCodes.Deprecated, publish.KeyLocation, at, "`publish` is deprecated; use `pages:publish`");
        }
    }
}
