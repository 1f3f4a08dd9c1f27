using System.Globalization;
using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// The job keywords whose values are small structures of their own: <c>retry</c>, <c>allow_failure</c>,
/// <c>environment</c>, <c>release</c>, <c>inherit</c>, <c>pages</c>, <c>hooks</c>, <c>dast_configuration</c>.
/// </summary>
internal static class JobValueKeywords
{
    /// <summary>The failure reasons <c>retry:when</c> accepts, besides <c>always</c>.</summary>
    private static readonly StrShape RetryReason = new()
    {
        Values =
        [
            "always", "unknown_failure", "script_failure", "api_failure", "stuck_or_timeout_failure",
            "stuck_pending_with_matching_runners", "stuck_pending_no_matching_runners", "no_updates_running",
            "no_updates_canceling", "runner_system_failure", "runner_configuration_error",
            "runner_external_dependency_failure", "runner_interrupted", "runner_unsupported", "stale_schedule",
            "job_execution_timeout", "server_timeout_running", "server_timeout_canceling", "archived_failure",
            "unmet_prerequisites", "scheduler_failure", "data_integrity_failure",
        ],
    };

    private static readonly IntShape RetryMax = new() { Min = 0, Max = 2 };

    private static readonly UnionShape ExitCodes = new(
        Common.Integer,
        new ListShape(Common.Integer) { Min = 1, Unique = true, Text = "a list of integers" })
    {
        Text = "an exit code or a list of exit codes",
    };

    public static readonly UnionShape Retry = new(RetryMax, new MapShape
    {
        ["max"] = RetryMax,
        ["when"] = new UnionShape(RetryReason, new ListShape(RetryReason) { Text = "a list of failure reasons" })
        {
            Text = "a failure reason or a list of them",
        },
        ["exit_codes"] = ExitCodes,
    })
    {
        Text = "an integer from 0 to 2, or a hash with `max`, `when` and `exit_codes`",
    };

    public static readonly UnionShape AllowFailure = new(Common.Bool, new MapShape
    {
        Required = ["exit_codes"],
        ["exit_codes"] = ExitCodes,
    })
    {
        Text = "true, false, or a hash with `exit_codes`",
    };

    private static readonly MapShape Kubernetes = new()
    {
        ["agent"] = Common.String,
        ["namespace"] = Common.NonEmptyString,
        ["flux_resource_path"] = Common.String,
        ["managed_resources"] = new MapShape { ["enabled"] = Common.Bool },
        ["dashboard"] = new MapShape
        {
            ["namespace"] = Common.NonEmptyString,
            ["flux_resource_path"] = Common.String,
        },
    };

    public static readonly UnionShape Environment = new(Common.String, new MapShape
    {
        Required = ["name"],
        ["name"] = Common.NonEmptyString,
        ["url"] = new StrShape { Pattern = Patterns.EnvironmentUrl(), PatternText = "an http(s) URL or a `$VARIABLE`" },
        ["on_stop"] = Common.String,
        ["action"] = new StrShape { Values = ["start", "prepare", "stop", "verify", "access"] },
        ["auto_stop_in"] = Common.String,
        ["kubernetes"] = Kubernetes,
        ["deployment_tier"] = new StrShape { Values = ["production", "staging", "testing", "development", "other"] },
    })
    {
        Text = "an environment name, or a hash with `name`",
    };

    private static readonly MapShape ReleaseLink = new()
    {
        Required = ["name", "url"],
        ["name"] = Common.NonEmptyString,
        ["url"] = Common.NonEmptyString,
        ["filepath"] = Common.String,
        ["link_type"] = new StrShape { Values = ["runbook", "package", "image", "other"] },
    };

    public static readonly MapShape Release = new()
    {
        Required = ["tag_name", "description"],
        ["tag_name"] = Common.NonEmptyString,
        ["tag_message"] = Common.String,
        ["description"] = Common.NonEmptyString,
        ["name"] = Common.String,
        ["ref"] = Common.String,
        ["milestones"] = Common.Strings,
        ["released_at"] = new StrShape { Rule = TimestampProblem },
        ["assets"] = new MapShape
        {
            Required = ["links"],
            ["links"] = new ListShape(ReleaseLink) { Min = 1, Text = "a list of links" },
        },
    };

    /// <summary>The <c>default:</c> keywords <c>inherit:default</c> may list.</summary>
    private static readonly StrShape InheritableDefault = new()
    {
        Values = ["after_script", "artifacts", "before_script", "cache", "image", "interruptible", "retry", "services", "tags", "timeout"],
    };

    public static readonly MapShape Inherit = new()
    {
        ["default"] = new UnionShape(Common.Bool, new ListShape(InheritableDefault) { Text = "a list of `default` keywords" }),
        ["variables"] = new UnionShape(Common.Bool, Common.Strings),
    };

    public static readonly UnionShape Pages = new(
        new MapShape
        {
            ["path_prefix"] = Common.String,
            ["expire_in"] = Common.String,
            ["publish"] = Common.String,
        },
        Common.Bool);

    public static readonly MapShape Hooks = new() { ["pre_get_sources_script"] = Common.OptionalScript };

    public static readonly MapShape DastConfiguration = new()
    {
        ["site_profile"] = Common.String,
        ["scanner_profile"] = Common.String,
    };

    public static readonly StrShape Coverage = new()
    {
        Pattern = Patterns.SlashedRegex(),
        PatternText = "a regular expression between slashes, like `/Coverage: \\d+\\.\\d+%/`",
        Rule = CoverageProblem,
    };

    /// <summary><c>coverage</c> is read with RE2 as GitLab does (and, like every user pattern here, in linear time).</summary>
    private static string? CoverageProblem(string text) =>
        Expressions.CiRegex.TryParse(text, out _, out var error) ? null : $"is not a valid regular expression: {error}";

    /// <summary><c>released_at</c>: an ISO 8601 date and time with seconds and a zone, e.g. <c>2024-01-31T12:00:00Z</c>.</summary>
    private static string? TimestampProblem(string text) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        && (text.EndsWith('Z') || text[^6] is '+' or '-')
            ? null
            : $"{NodeFacts.Quote(text)} is not an ISO 8601 time like `2024-01-31T12:00:00Z`";
}
