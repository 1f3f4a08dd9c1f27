using System.Threading.Channels;
using Relais.Protocol;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>Something the coordinator must do about bridge jobs, posted from the driver's hooks and done outside its turn.</summary>
public abstract record BridgeWork;

/// <summary>A bridge job's attempt became pending: create its downstream pipeline.</summary>
public sealed record BridgePending(long PipelineId, string Job, int Attempt) : BridgeWork;

/// <summary>A running attempt was asked to stop; when it is a bridge, it is canceled here (no runner holds it) with its downstream pipeline.</summary>
public sealed record RunningJobCanceled(long PipelineId, string Job, int Attempt) : BridgeWork;

/// <summary>A pipeline reached a final status: a <c>strategy: depend</c> bridge mirrors it; a canceled parent cancels its children.</summary>
public sealed record PipelineSettled(long PipelineId, CiStatus Status) : BridgeWork;

/// <summary>The queue of <see cref="BridgeWork"/> between <see cref="BridgeHooks"/> (which must not wait) and <see cref="DownstreamPipelines"/>.</summary>
public sealed class BridgeInbox
{
    private readonly Channel<BridgeWork> _channel = Channel.CreateUnbounded<BridgeWork>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Posts <paramref name="work"/>; never blocks.</summary>
    public void Post(BridgeWork work) => _channel.Writer.TryWrite(work);

    internal ChannelReader<BridgeWork> Reader => _channel.Reader;
}
