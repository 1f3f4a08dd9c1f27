namespace Relais.Protocol;

/// <summary>
/// GitLab's <c>failure_reason</c> names (runner API v4 §2.5). The first group is what a runner sends; <see cref="All"/>
/// is the full enum a coordinator advertises in <c>features.failure_reasons</c>.
/// </summary>
public static class FailureReasons
{
    /// <summary>The script exited non-zero.</summary>
    public const string ScriptFailure = "script_failure";

    /// <summary>The runner or executor failed.</summary>
    public const string RunnerSystemFailure = "runner_system_failure";

    /// <summary>The job ran past its timeout.</summary>
    public const string JobExecutionTimeout = "job_execution_timeout";

    /// <summary>The image could not be pulled.</summary>
    public const string ImagePullFailure = "image_pull_failure";

    /// <summary>No better reason is known.</summary>
    public const string UnknownFailure = "unknown_failure";

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

    /// <summary>Every failure reason GitLab knows, in enum order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        UnknownFailure, ScriptFailure, "api_failure", "stuck_or_timeout_failure", RunnerSystemFailure,
        MissingDependencyFailure, "runner_unsupported", "stale_schedule", JobExecutionTimeout, "archived_failure",
        "unmet_prerequisites", "scheduler_failure", "data_integrity_failure", "forward_deployment_failure",
        "user_blocked", "project_deleted", "ci_quota_exceeded", "pipeline_loop_detected", "no_matching_runner",
        TraceSizeExceeded, "builds_disabled", "environment_creation_failure", "deployment_rejected",
        "failed_outdated_deployment_job", "job_execution_server_timeout", "stuck_pending_with_matching_runners",
        "stuck_pending_no_matching_runners", "no_updates_running", "no_updates_canceling", "server_timeout_running",
        "server_timeout_canceling", RunnerConfigurationError, RunnerExternalDependencyFailure, RunnerInterrupted,
    ];

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
