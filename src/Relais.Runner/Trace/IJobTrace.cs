namespace Relais.Runner.Trace;

/// <summary>
/// Where a job's log goes once it is masked: the remote runner ships it as trace PATCHes, <c>relais run</c> prints it
/// with a job-name prefix, tests keep it in memory.
/// <para>
/// Contract: the runner calls <see cref="Write"/> from one thread at a time, in log order, with bytes that are
/// already masked; an implementation must copy what it keeps (the span is reused) and must not block for long (buffer
/// and ship in the background). <see cref="Write"/> is never called after the job's outcome is returned.
/// </para>
/// </summary>
public interface IJobTrace
{
    /// <summary>Appends masked log bytes.</summary>
    void Write(ReadOnlySpan<byte> data);
}

/// <summary>Keeps the whole trace in memory, with its size and checksum (tests, and the final job update).</summary>
public sealed class MemoryJobTrace : IJobTrace
{
    private readonly Lock _lock = new();
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new();
    private uint _crc = TraceChecksum.Initial;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            System.Buffers.BuffersExtensions.Write(_buffer, data);
            _crc = TraceChecksum.Update(_crc, data);
        }
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray()
    {
        lock (_lock)
        {
            return _buffer.WrittenSpan.ToArray();
        }
    }

    /// <summary>The trace as UTF-8 text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(ToArray());

    /// <summary>The size in bytes.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
            {
                return _buffer.WrittenCount;
            }
        }
    }

    /// <summary>The checksum as the job update carries it: <c>crc32:</c> and 8 lowercase hex digits.</summary>
    public string Checksum
    {
        get
        {
            lock (_lock)
            {
                return TraceChecksum.Format(_crc);
            }
        }
    }
}
