using System.Buffers;
using Relais.Runner.Trace;

namespace Relais.Runner.Agent;

/// <summary>
/// Ships one job's trace as <c>PATCH /jobs/:id/trace</c> calls while the job runs: it reads the batches of a
/// <see cref="BatchingJobTrace"/>, keeps every byte (the job log is capped, 4 MiB by default) with its running CRC-32,
/// and sends what the server has not got yet in patches of at most <see cref="RunnerApiClient.MaxPatchBytes"/>. A 416
/// moves the offset to the length the server reports in <c>Range</c> (lower means resend, higher means skip);
/// <c>Job-Status</c> answers are handed to the session (a 403 stops the job: canceled, or its log passed the server's
/// size limit). One reader: <see cref="RunAsync"/>, then <see cref="FlushAsync"/> calls from the same flow.
/// </summary>
internal sealed class TraceShipper
{
    private readonly RunnerApiClient _client;
    private readonly long _jobId;
    private readonly string _jobToken;
    private readonly Action<JobUpdateOutcome> _onResponse;
    private readonly ArrayBufferWriter<byte> _all = new();
    private uint _crc = TraceChecksum.Initial;
    private long _sent;

    public TraceShipper(RunnerApiClient client, long jobId, string jobToken, Action<JobUpdateOutcome> onResponse)
    {
        _client = client;
        _jobId = jobId;
        _jobToken = jobToken;
        _onResponse = onResponse;
    }

    /// <summary>The trace's checksum so far, as the final update carries it.</summary>
    public string Checksum => TraceChecksum.Format(_crc);

    /// <summary>The trace's size so far.</summary>
    public long Length => _all.WrittenCount;

    /// <summary>How many bytes the server has confirmed.</summary>
    public long Sent => _sent;

    /// <summary>How many PATCH calls were made.</summary>
    public int Patches { get; private set; }

    /// <summary>Set once the server told the runner to stop sending anything (403, 404, <c>Job-Status: canceled</c>).</summary>
    public bool Stopped { get; private set; }

    /// <summary>Ships batches until the trace completes, then the rest.</summary>
    public async Task RunAsync(BatchingJobTrace trace, CancellationToken cancellationToken)
    {
        await foreach (var batch in trace.ReadBatchesAsync(cancellationToken))
        {
            _all.Write(batch.Span);
            _crc = TraceChecksum.Update(_crc, batch.Span);
            if (!Stopped)
            {
                await FlushAsync(cancellationToken);
            }
        }
    }

    /// <summary>Makes the next flush resend everything (the server answered the final update with 412).</summary>
    public void Restart() => _sent = 0;

    /// <summary>Sends every byte the server has not confirmed; false when a patch failed (the rest waits for the next flush).</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var resyncs = 0;
        while (!Stopped && _sent < Length)
        {
            var count = (int)Math.Min(RunnerApiClient.MaxPatchBytes, Length - _sent);
            var chunk = _all.WrittenMemory.Slice((int)_sent, count);
            var outcome = await _client.PatchTraceAsync(_jobId, _jobToken, _sent, chunk, cancellationToken);
            Patches++;
            _onResponse(outcome);
            if (outcome.Control == JobControl.Abort)
            {
                Stopped = true;
                return false;
            }

            if (outcome.Accepted)
            {
                _sent = Math.Clamp(outcome.RangeEnd ?? (_sent + count), _sent, _sent + count);
            }
            else if (outcome.Status == 416 && outcome.RangeEnd is { } serverLength && resyncs++ < 3)
            {
                _sent = Math.Clamp(serverLength, 0, Length); // the server's length decides where the next patch starts
            }
            else
            {
                return false;
            }
        }

        return !Stopped;
    }
}
