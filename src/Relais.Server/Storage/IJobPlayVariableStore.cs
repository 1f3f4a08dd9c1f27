namespace Relais.Server.Storage;

/// <summary>
/// The variables a user gave when playing a manual job (GitLab's <c>job_variables_attributes</c>), kept with the attempt
/// they were given for, as sealed JSON (the caller seals and opens them). A later attempt of the same job (a retry)
/// runs with the newest variables given to it or an earlier attempt. Every method may be called concurrently; each
/// call is its own transaction.
/// </summary>
public interface IJobPlayVariableStore
{
    /// <summary>Sets (or with null, removes) the variables of the attempt <paramref name="jobId"/>.</summary>
    Task SetAsync(long jobId, string? sealedJson, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The variables of exactly the attempt <paramref name="jobId"/>; null when none were given for it.</summary>
    Task<string?> OfAttemptAsync(long jobId, CancellationToken cancel = default);

    /// <summary>The variables <paramref name="job"/> runs with: its own attempt's, else the newest of an earlier attempt of the same job; null when none.</summary>
    Task<string?> ForJobAsync(JobRecord job, CancellationToken cancel = default);
}
