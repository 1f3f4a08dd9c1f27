using System.Buffers;
using System.Runtime.CompilerServices;

namespace Relais.Runner.Trace;

/// <summary>
/// Buffers a job's trace for a shipper (the remote runner's trace PATCH loop): <see cref="Write"/> never blocks, and
/// <see cref="ReadBatchesAsync"/> yields what accumulated once it reaches <c>maxBatchBytes</c>, or at least every
/// <c>maxDelay</c>, and a last batch after <see cref="Complete"/>. One reader.
/// </summary>
public sealed class BatchingJobTrace : IJobTrace
{
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly int _maxBatchBytes;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completed;

    /// <summary>Creates the buffer.</summary>
    /// <param name="maxBatchBytes">A batch is handed out as soon as this many bytes wait (default 64 KiB).</param>
    /// <param name="maxDelay">Waiting bytes are handed out at least this often (default 1 s).</param>
    /// <param name="time">The clock.</param>
    public BatchingJobTrace(int maxBatchBytes = 64 * 1024, TimeSpan? maxDelay = null, TimeProvider? time = null)
    {
        _maxBatchBytes = maxBatchBytes > 0 ? maxBatchBytes : throw new ArgumentOutOfRangeException(nameof(maxBatchBytes));
        _maxDelay = maxDelay ?? TimeSpan.FromSeconds(1);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _buffer.Write(data);
            if (_buffer.WrittenCount >= _maxBatchBytes)
            {
                _wake.TrySetResult();
            }
        }
    }

    /// <summary>Marks the end of the trace: the reader gets what is left, then the sequence ends.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            _wake.TrySetResult();
        }
    }

    /// <summary>The trace in batches, in order; ends after <see cref="Complete"/> once everything was handed out.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wake;
            lock (_lock)
            {
                wake = _wake.Task;
            }

            if (!wake.IsCompleted)
            {
                await Task.WhenAny(wake, Task.Delay(_maxDelay, _time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }

            byte[] batch;
            bool completed;
            lock (_lock)
            {
                batch = _buffer.WrittenSpan.ToArray();
                _buffer.ResetWrittenCount();
                completed = _completed;
                if (!completed && _wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (batch.Length > 0)
            {
                yield return batch;
            }
            else if (completed)
            {
                yield break;
            }
        }
    }
}
