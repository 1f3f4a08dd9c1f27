namespace Relais.Protocol.Requests;

/// <summary>The body of <c>PUT /api/v4/jobs/:id</c>: a heartbeat or the job's final state.</summary>
public sealed record UpdateJobRequest
{
    /// <summary>The job token (also accepted as the <c>JOB-TOKEN</c> header).</summary>
    public string Token { get; set; } = "";

    /// <summary>The runner's self-description.</summary>
    public RunnerDetails? Info { get; set; }

    /// <summary><c>running</c>, <c>success</c>, <c>failed</c> or <c>pending</c> (see <see cref="JobStates"/>).</summary>
    public string State { get; set; } = JobStates.Running;

    /// <summary>Why the job failed (see <see cref="FailureReasons"/>); only with <c>failed</c>.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The script's exit code. Never 0 on the wire: the runner leaves it out then, as Go's <c>omitempty</c> does.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Deprecated duplicate of <see cref="JobOutput.Checksum"/>.</summary>
    public string? Checksum { get; set; }

    /// <summary>What the runner wrote to the trace.</summary>
    public JobOutput? Output { get; set; }
}

/// <summary>A summary of the trace the runner wrote.</summary>
public sealed record JobOutput
{
    /// <summary><c>crc32:</c> and 8 lowercase hex digits (IEEE CRC-32 over the whole trace).</summary>
    public string? Checksum { get; set; }

    /// <summary>The trace's size in bytes.</summary>
    public long Bytesize { get; set; }
}

/// <summary>Job states a runner reports.</summary>
public static class JobStates
{
    /// <summary>Still preparing (keep-alive).</summary>
    public const string Pending = "pending";

    /// <summary>Running (accept, or heartbeat).</summary>
    public const string Running = "running";

    /// <summary>Finished successfully.</summary>
    public const string Success = "success";

    /// <summary>Finished with a failure.</summary>
    public const string Failed = "failed";
}
