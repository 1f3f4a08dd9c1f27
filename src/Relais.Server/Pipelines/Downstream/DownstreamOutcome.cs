using Relais.Protocol;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>What became of a bridge's downstream pipeline: created (with its status), or a GitLab failure reason for the bridge.</summary>
internal sealed record DownstreamOutcome(long PipelineId, CiStatus? Status, string? FailureReason)
{
    public static DownstreamOutcome Failed(string reason) => new(0, null, reason);

    public bool IsCreated => FailureReason is null;
}
