using System.Collections.Frozen;

namespace Relais.Engine;

/// <summary>
/// GitLab's job failure reasons (<c>failure_reason</c>), as strings because they travel as strings: from the
/// runner (runner API §2.5), in <c>retry:when</c> and in the API. An unknown reason is stored as
/// <see cref="UnknownFailure"/>, as GitLab does.
/// </summary>
public static class FailureReasons
{
    /// <summary>The job's script exited non-zero.</summary>
    public const string ScriptFailure = "script_failure";

    /// <summary>The runner or its executor broke; also what the engine records when a runner is lost.</summary>
    public const string RunnerSystemFailure = "runner_system_failure";

    /// <summary>The job ran past its timeout (reported by the runner, or found by the server-side watchdog).</summary>
    public const string JobExecutionTimeout = "job_execution_timeout";

    /// <summary>No reason was given, or one we do not know.</summary>
    public const string UnknownFailure = "unknown_failure";

    /// <summary>The coordinator's API failed the job.</summary>
    public const string ApiFailure = "api_failure";

    /// <summary>Legacy: the job was stuck or timed out on the server's side.</summary>
    public const string StuckOrTimeoutFailure = "stuck_or_timeout_failure";

    /// <summary>The scheduler could not place the job; GitLab retries it twice by default.</summary>
    public const string SchedulerFailure = "scheduler_failure";

    /// <summary>The runner was interrupted (shut down) while running the job.</summary>
    public const string RunnerInterrupted = "runner_interrupted";

    /// <summary>Every reason GitLab knows (runner API §2.5), for validation and normalisation.</summary>
    public static FrozenSet<string> Known { get; } = new[]
    {
        UnknownFailure, ScriptFailure, ApiFailure, StuckOrTimeoutFailure, RunnerSystemFailure,
        "missing_dependency_failure", "runner_unsupported", "stale_schedule", JobExecutionTimeout,
        "archived_failure", "unmet_prerequisites", SchedulerFailure, "data_integrity_failure",
        "forward_deployment_failure", "user_blocked", "project_deleted", "ci_quota_exceeded",
        "pipeline_loop_detected", "no_matching_runner", "trace_size_exceeded", "builds_disabled",
        "environment_creation_failure", "deployment_rejected", "failed_outdated_deployment_job",
        "job_execution_server_timeout", "stuck_pending_with_matching_runners",
        "stuck_pending_no_matching_runners", "no_updates_running", "no_updates_canceling",
        "server_timeout_running", "server_timeout_canceling", "runner_configuration_error",
        "runner_external_dependency_failure", RunnerInterrupted, "image_pull_failure",
    }.ToFrozenSet(StringComparer.Ordinal);

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
}
