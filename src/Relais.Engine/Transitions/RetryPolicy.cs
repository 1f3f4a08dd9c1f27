using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// Whether a failed attempt is retried automatically, by GitLab's rules (<c>Gitlab::Ci::Build::AutoRetry</c>):
/// <list type="bullet">
/// <item>the failure matches when its reason is listed in <c>retry:when</c> (or <c>always</c> is), or its exit
/// code is listed in <c>retry:exit_codes</c>; the legacy reasons <c>stuck_or_timeout_failure</c> and
/// <c>job_execution_timeout</c> also match the reasons they were split into;</item>
/// <item>then <c>retry:max</c> bounds the retries the job already had (automatic and manual ones alike);</item>
/// <item>some reasons are never retried (quota, no matching runner, missing dependency, outdated deployment,
/// environment creation), and <c>scheduler_failure</c> is retried twice by default.</item>
/// </list>
/// One difference: GitLab tells an explicit <c>retry: 0</c> from no <c>retry</c> for the
/// <c>scheduler_failure</c> default; the plan cannot, so <c>max: 0</c> counts as no <c>retry</c>.
/// The plan's <see cref="RetryPlan.When"/> is taken as resolved by the compiler: <c>["always"]</c> when neither
/// <c>when</c> nor <c>exit_codes</c> is written, empty when only <c>exit_codes</c> is.
/// </summary>
public static class RetryPolicy
{
    private static readonly HashSet<string> NeverRetried = new(StringComparer.Ordinal)
    {
        "ci_quota_exceeded", "no_matching_runner", "missing_dependency_failure",
        "forward_deployment_failure", "environment_creation_failure",
    };

    /// <summary>True when the failure gets a new attempt automatically.</summary>
    /// <param name="retry">The job's <c>retry</c>.</param>
    /// <param name="failureReason">The normalised failure reason of the attempt.</param>
    /// <param name="exitCode">Its exit code, if the runner sent one.</param>
    /// <param name="retriesSoFar">How many times the job was already retried (its attempt number minus one).</param>
    public static bool AllowsAutoRetry(RetryPlan retry, string failureReason, int? exitCode, int retriesSoFar)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var max = MaxRetries(retry, failureReason, exitCode);
        return max > 0 && max > retriesSoFar;
    }

    private static int MaxRetries(RetryPlan retry, string reason, int? exitCode)
    {
        if (NeverRetried.Contains(reason))
        {
            return 0;
        }

        if (retry.Max > 0 && Matches(retry, reason, exitCode))
        {
            return retry.Max;
        }

        return string.Equals(reason, FailureReasons.SchedulerFailure, StringComparison.Ordinal) ? 2 : 0;
    }

    private static bool Matches(RetryPlan retry, string reason, int? exitCode)
    {
        var when = retry.When.IsDefault ? [] : retry.When;
        foreach (var listed in when)
        {
            if (string.Equals(listed, "always", StringComparison.Ordinal)
                || string.Equals(listed, reason, StringComparison.Ordinal)
                || (FailureReasons.Aliases.TryGetValue(listed, out var split) && split.Contains(reason, StringComparer.Ordinal)))
            {
                return true;
            }
        }

        return exitCode is { } code && !retry.ExitCodes.IsDefault && retry.ExitCodes.Contains(code);
    }
}
