using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// A failed attempt: record the reason and exit code, decide whether the failure is allowed
/// (<c>allow_failure</c>, or one of its <c>exit_codes</c>), then retry it automatically when <c>retry</c> says
/// so, or, for a real failure with <c>workflow:auto_cancel:on_job_failure: all</c>, cancel the pipeline.
/// The retry happens in the same step, so nothing downstream ever sees the failure that was retried.
/// </summary>
internal static class Failing
{
    public static void Fail(StepContext ctx, JobState job, string? reason, int? exitCode)
    {
        var plan = ctx.Index.Job(job.Name);
        var normalized = FailureReasons.Normalize(reason);
        var allowedByCode = exitCode is { } code && !plan.AllowFailureExitCodes.IsDefault && plan.AllowFailureExitCodes.Contains(code);
        var failed = JobMoves.Complete(ctx, job, CiStatus.Failed) with
        {
            FailureReason = normalized,
            ExitCode = exitCode,
            AllowFailure = job.AllowFailure || allowedByCode,
        };
        ctx.Update(failed);

        if (RetryPolicy.AllowsAutoRetry(plan.Retry, normalized, exitCode, ctx.AttemptCount(job.Name) - 1))
        {
            Retrying.Retry(ctx, job.Name, enqueueIfActionable: true);
            Retrying.ResetSkippedDependents(ctx, [job.Name]);
            return;
        }

        if (!failed.AllowFailure && string.Equals(ctx.State.Plan.AutoCancel.OnJobFailure, "all", StringComparison.Ordinal))
        {
            Cancellation.CancelAll(ctx, autoCanceledBy: null);
        }
    }
}
