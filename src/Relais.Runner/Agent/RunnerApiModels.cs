using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;

namespace Relais.Runner.Agent;

/// <summary>What the server asks of a running job through the <c>Job-Status</c> header (or a 403/404).</summary>
public enum JobControl
{
    /// <summary>Keep going.</summary>
    Continue,

    /// <summary><c>Job-Status: canceling</c>: stop the script, run after_script, report.</summary>
    Cancel,

    /// <summary><c>Job-Status: canceled</c>/<c>failed</c>, 403 or 404: kill the job and send nothing more.</summary>
    Abort,
}

/// <summary>The result of <c>POST /runners/verify</c>.</summary>
/// <param name="Succeeded">Whether the server accepted the token.</param>
/// <param name="RunnerId">The runner's id when it did.</param>
/// <param name="Error">Why it did not, in words for the operator.</param>
public readonly record struct VerifyOutcome(bool Succeeded, long RunnerId, string? Error);

/// <summary>The result of one <c>POST /jobs/request</c>.</summary>
/// <param name="Status">The HTTP status, or 0 when the server could not be reached.</param>
/// <param name="Job">The job on a 201.</param>
/// <param name="LastUpdate">The <c>X-GitLab-Last-Update</c> value on a 204.</param>
/// <param name="LongPolling">Whether the server held the request (<c>Gitlab-Ci-Builds-Polling: yes</c>).</param>
/// <param name="Error">What went wrong, for the log.</param>
public readonly record struct JobRequestOutcome(int Status, JobResponse? Job, string? LastUpdate, bool LongPolling, string? Error);

/// <summary>The result of <c>PUT /jobs/:id</c> or <c>PATCH /jobs/:id/trace</c>.</summary>
/// <param name="Status">The HTTP status, or 0 when the server could not be reached.</param>
/// <param name="Control">What the server wants done with the job.</param>
/// <param name="RangeEnd">For a trace patch: the server's trace length from the <c>Range</c> header, if sent.</param>
/// <param name="UpdateInterval">The <c>X-GitLab-Trace-Update-Interval</c>, if sent.</param>
public readonly record struct JobUpdateOutcome(int Status, JobControl Control, long? RangeEnd, TimeSpan? UpdateInterval)
{
    /// <summary>Whether the status is 2xx.</summary>
    public bool Accepted => Status is >= 200 and < 300;
}
