using Relais.Protocol;
using Relais.Protocol.Requests;

namespace Relais.Runner.Jobs;

/// <summary>How a job ended.</summary>
public enum JobResult
{
    /// <summary>Every stage succeeded.</summary>
    Success,

    /// <summary>A stage failed or the job timed out; see <see cref="JobOutcome.FailureReason"/>.</summary>
    Failed,

    /// <summary>The job was cancelled or aborted by its caller.</summary>
    Canceled,
}

/// <summary>The result of one job: what the remote runner reports in its final update and <c>relais run</c> prints.</summary>
/// <param name="Result">Success, failed or canceled.</param>
/// <param name="FailureReason">For <see cref="JobResult.Failed"/>: <c>script_failure</c>, <c>job_execution_timeout</c>,
/// <c>runner_system_failure</c>, ... (see <see cref="FailureReasons"/>).</param>
/// <param name="ExitCode">The script's exit code when a script decided the result, else null.</param>
/// <param name="Duration">How long the job took.</param>
public readonly record struct JobOutcome(JobResult Result, string? FailureReason, int? ExitCode, TimeSpan Duration)
{
    /// <summary>Whether the job succeeded.</summary>
    public bool Succeeded => Result == JobResult.Success;

    /// <summary>
    /// The final <c>PUT /jobs/:id</c> body: <c>success</c>, or <c>failed</c> with the failure reason mapped to what the
    /// server supports (a canceled job reports <c>unknown_failure</c>; the server already knows it canceled it). An exit
    /// code of 0 is left out, as gitlab-runner does.
    /// </summary>
    public UpdateJobRequest ToUpdateRequest(string jobToken, string checksum, long bytesize, IReadOnlyCollection<string> supportedReasons)
    {
        ArgumentNullException.ThrowIfNull(supportedReasons);
        var output = new JobOutput { Checksum = checksum, Bytesize = bytesize };
        return Result == JobResult.Success
            ? new UpdateJobRequest { Token = jobToken, State = JobStates.Success, Checksum = checksum, Output = output }
            : new UpdateJobRequest
            {
                Token = jobToken,
                State = JobStates.Failed,
                FailureReason = FailureReasons.MapToSupported(FailureReason ?? FailureReasons.UnknownFailure, supportedReasons),
                ExitCode = ExitCode is 0 ? null : ExitCode,
                Checksum = checksum,
                Output = output,
            };
    }
}

/// <summary>The result of one stage of a job (a value, never an exception).</summary>
/// <param name="Kind">Whether the stage succeeded, failed, or was interrupted by a token.</param>
/// <param name="FailureReason">Why it failed.</param>
/// <param name="ExitCode">The script's exit code, for script stages.</param>
/// <param name="Message">What went wrong, for the final log line.</param>
public readonly record struct StageResult(StageResultKind Kind, string? FailureReason = null, int? ExitCode = null, string? Message = null)
{
    /// <summary>A successful stage.</summary>
    public static StageResult Ok { get; } = new(StageResultKind.Succeeded);

    /// <summary>Whether the stage succeeded.</summary>
    public bool Succeeded => Kind == StageResultKind.Succeeded;

    /// <summary>A failed stage.</summary>
    public static StageResult Failed(string failureReason, string message, int? exitCode = null) =>
        new(StageResultKind.Failed, failureReason, exitCode, message);

    /// <summary>A stage stopped by its token.</summary>
    public static StageResult Interrupted() => new(StageResultKind.Interrupted);
}

/// <summary>How a stage ended.</summary>
public enum StageResultKind
{
    /// <summary>It did its work.</summary>
    Succeeded,

    /// <summary>It failed.</summary>
    Failed,

    /// <summary>A token stopped it (cancel, abort or timeout; the runner knows which).</summary>
    Interrupted,
}
