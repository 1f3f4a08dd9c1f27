using System.Buffers.Binary;

namespace Relais.Runner.Docker;

/// <summary>
/// Reads the Engine's multiplexed stream (attach, logs and exec without a TTY): frames of an 8-byte header
/// (stream type: 0 stdin, 1 stdout, 2 stderr; 3 zero bytes; a big-endian 32-bit length) and a payload.
/// </summary>
public static class MultiplexedStream
{
    /// <summary>Copies every frame's payload to <paramref name="sink"/> as it arrives (stdout and stderr alike, in order).</summary>
    public static async Task CopyAsync(Stream source, Action<int, ReadOnlyMemory<byte>> sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        var header = new byte[8];
        var buffer = new byte[32 * 1024];
        while (true)
        {
            if (!await ReadExactlyOrEndAsync(source, header, cancellationToken))
            {
                return;
            }

            var kind = header[0];
            var remaining = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                sink(kind, buffer.AsMemory(0, read));
                remaining -= read;
            }
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
