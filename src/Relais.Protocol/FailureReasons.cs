using System.Collections.Frozen;

namespace Relais.Protocol;

/// <summary>
/// GitLab's <c>failure_reason</c> names (runner API v4 §2.5), as strings because they travel as strings: from the
/// runner, in <c>retry:when</c> and in the API. <see cref="All"/> is the full enum a coordinator advertises in
/// <c>features.failure_reasons</c>; a missing or unknown reason is recorded as <see cref="UnknownFailure"/>, as GitLab
/// does (<see cref="Normalize"/>).
/// </summary>
public static class FailureReasons
{
    /// <summary>The script exited non-zero.</summary>
    public const string ScriptFailure = "script_failure";

    /// <summary>The runner or its executor broke; also what the engine records when a runner is lost.</summary>
    public const string RunnerSystemFailure = "runner_system_failure";

    /// <summary>The job ran past its timeout (reported by the runner, or found by the server-side watchdog).</summary>
    public const string JobExecutionTimeout = "job_execution_timeout";

    /// <summary>The image could not be pulled.</summary>
    public const string ImagePullFailure = "image_pull_failure";

    /// <summary>No reason was given, or one we do not know.</summary>
    public const string UnknownFailure = "unknown_failure";

    /// <summary>The coordinator's API failed the job.</summary>
    public const string ApiFailure = "api_failure";

    /// <summary>Legacy: the job was stuck or timed out on the server's side.</summary>
    public const string StuckOrTimeoutFailure = "stuck_or_timeout_failure";

    /// <summary>The scheduler could not place the job; GitLab retries it twice by default.</summary>
    public const string SchedulerFailure = "scheduler_failure";

    /// <summary>The runner's configuration is wrong.</summary>
    public const string RunnerConfigurationError = "runner_configuration_error";

    /// <summary>Something outside the runner failed.</summary>
    public const string RunnerExternalDependencyFailure = "runner_external_dependency_failure";

    /// <summary>The runner was stopped while running the job.</summary>
    public const string RunnerInterrupted = "runner_interrupted";

    /// <summary>A dependency's artifacts are missing (server side).</summary>
    public const string MissingDependencyFailure = "missing_dependency_failure";

    /// <summary>The job's log exceeded the server's size limit (server side).</summary>
    public const string TraceSizeExceeded = "trace_size_exceeded";

    /// <summary>A bridge job's downstream pipeline could not be created (its configuration, or another error).</summary>
    public const string DownstreamPipelineCreationFailed = "downstream_pipeline_creation_failed";

    /// <summary>A bridge job's <c>trigger:project</c> does not exist, or its user cannot see it.</summary>
    public const string DownstreamBridgeProjectNotFound = "downstream_bridge_project_not_found";

    /// <summary>The user of a bridge job's pipeline may not run pipelines in the downstream project (Developer).</summary>
    public const string InsufficientBridgePermissions = "insufficient_bridge_permissions";

    /// <summary>A bridge job's <c>trigger</c> names nothing to run.</summary>
    public const string InvalidBridgeTrigger = "invalid_bridge_trigger";

    /// <summary>A child pipeline would be nested deeper than the limit.</summary>
    public const string ReachedMaxDescendantPipelinesDepth = "reached_max_descendant_pipelines_depth";

    /// <summary>Every failure reason GitLab knows, in enum order (the bridge jobs' reasons last).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        UnknownFailure, ScriptFailure, ApiFailure, StuckOrTimeoutFailure, RunnerSystemFailure,
        MissingDependencyFailure, "runner_unsupported", "stale_schedule", JobExecutionTimeout, "archived_failure",
        "unmet_prerequisites", SchedulerFailure, "data_integrity_failure", "forward_deployment_failure",
        "user_blocked", "project_deleted", "ci_quota_exceeded", "pipeline_loop_detected", "no_matching_runner",
        TraceSizeExceeded, "builds_disabled", "environment_creation_failure", "deployment_rejected",
        "failed_outdated_deployment_job", "job_execution_server_timeout", "stuck_pending_with_matching_runners",
        "stuck_pending_no_matching_runners", "no_updates_running", "no_updates_canceling", "server_timeout_running",
        "server_timeout_canceling", RunnerConfigurationError, RunnerExternalDependencyFailure, RunnerInterrupted,
        DownstreamBridgeProjectNotFound, InvalidBridgeTrigger, "upstream_bridge_project_not_found",
        InsufficientBridgePermissions, "bridge_pipeline_is_child_pipeline", DownstreamPipelineCreationFailed,
        ReachedMaxDescendantPipelinesDepth, "reached_max_pipeline_hierarchy_size",
        "protected_environment_failure", // GitLab EE's (its enum value 1000): a protected environment its user may not deploy to
    ];

    /// <summary>
    /// Every reason we accept and keep: <see cref="All"/> and <see cref="ImagePullFailure"/>, which a runner sends only
    /// to a coordinator that advertises it (ours maps it to <see cref="RunnerSystemFailure"/> first) but
    /// <c>relais run</c> records as it is.
    /// </summary>
    public static FrozenSet<string> Known { get; } = All.Append(ImagePullFailure).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The legacy reasons that newer GitLab split into specific ones; in <c>retry:when</c> the legacy name
    /// still matches every reason it was split into.
    /// </summary>
    public static FrozenDictionary<string, string[]> Aliases { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [StuckOrTimeoutFailure] =
        [
            "stuck_pending_with_matching_runners", "stuck_pending_no_matching_runners",
            "no_updates_running", "no_updates_canceling",
        ],
        [JobExecutionTimeout] = ["server_timeout_running", "server_timeout_canceling"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A missing or unknown reason becomes <see cref="UnknownFailure"/>.</summary>
    public static string Normalize(string? reason) =>
        reason is not null && Known.Contains(reason) ? reason : UnknownFailure;

    /// <summary>
    /// Maps a reason to one the server supports, as the runner does before sending it: a reason in
    /// <paramref name="supported"/> (or one of the three always-supported ones) is kept; image pull and external
    /// dependency failures fall back to <see cref="RunnerSystemFailure"/>, configuration errors to
    /// <see cref="ScriptFailure"/>, anything else to <see cref="UnknownFailure"/>. An empty list means "all".
    /// </summary>
    public static string MapToSupported(string reason, IReadOnlyCollection<string> supported)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(supported);
        if (supported.Count == 0 || reason is ScriptFailure or RunnerSystemFailure or JobExecutionTimeout
            || supported.Contains(reason))
        {
            return reason;
        }

        return reason switch
        {
            ImagePullFailure or RunnerExternalDependencyFailure => RunnerSystemFailure,
            RunnerConfigurationError => ScriptFailure,
            _ => UnknownFailure,
        };
    }
}
