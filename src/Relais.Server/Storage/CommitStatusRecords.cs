namespace Relais.Server.Storage;

/// <summary>
/// One commit status set by an outside system (<c>POST /projects/:id/statuses/:sha</c>): its name on a sha and ref,
/// its state (GitLab's job states: <c>created</c>, <c>pending</c>, <c>running</c>, <c>success</c>, <c>failed</c>,
/// <c>canceled</c>, <c>skipped</c>) and the pipeline of that sha it is shown in (null: none yet).
/// </summary>
public sealed record CommitStatusRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Sha { get; init; } = "";

    public string Ref { get; init; } = "";

    public string Name { get; init; } = "";

    public string Status { get; init; } = "created";

    public string? TargetUrl { get; init; }

    public string? Description { get; init; }

    public double? Coverage { get; init; }

    public long? PipelineId { get; init; }

    public long? AuthorId { get; init; }

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? CreatedAt { get; init; }

    public string? StartedAt { get; init; }

    public string? FinishedAt { get; init; }

    /// <summary>Still pending or running: the only statuses a new report of the same name updates in place.</summary>
    public bool IsActive => Status is "pending" or "running";
}
