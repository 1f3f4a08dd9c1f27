namespace Relais.Cli.Commands.Ssh;

/// <summary>
/// Git's pkt-line framing, just enough to find where a client's request ends: four hex digits of length (including
/// themselves) and the data; <c>0000</c> flush, <c>0001</c> delimiter, <c>0002</c> response end.
/// </summary>
internal static class PktLine
{
    /// <summary>One packet as it came (header included), or null at the end of the stream before any byte.</summary>
    public static async Task<byte[]?> ReadAsync(Stream input, CancellationToken cancel)
    {
        var header = new byte[4];
        if (!await FillAsync(input, header, cancel))
        {
            return null;
        }

        if (!int.TryParse(System.Text.Encoding.ASCII.GetString(header), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || length is 3 or > 65520)
        {
            throw new InvalidDataException("not a git pkt-line");
        }

        var packet = new byte[Math.Max(4, length)];
        header.CopyTo(packet, 0);
        if (length > 4 && !await FillAsync(input, packet.AsMemory(4), cancel))
        {
            throw new EndOfStreamException("the stream ended inside a pkt-line");
        }

        return packet;
    }

    public static bool IsFlush(byte[] packet) => packet.Length == 4 && packet.AsSpan().SequenceEqual("0000"u8);

    /// <summary>The packet's payload (after the header).</summary>
    public static ReadOnlySpan<byte> Data(byte[] packet) => packet.AsSpan(4);

    /// <summary>Reads packets up to and including a flush; null when the stream ends first (or at once).</summary>
    public static async Task<List<byte[]>?> ReadSectionAsync(Stream input, CancellationToken cancel)
    {
        var packets = new List<byte[]>();
        while (await ReadAsync(input, cancel) is { } packet)
        {
            packets.Add(packet);
            if (IsFlush(packet))
            {
                return packets;
            }
        }

        return packets.Count == 0 ? null : throw new EndOfStreamException("the stream ended inside a request");
    }

    private static async Task<bool> FillAsync(Stream input, Memory<byte> buffer, CancellationToken cancel)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer[read..], cancel);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("the stream ended inside a pkt-line");
            }

            read += n;
        }

        return true;
    }
}
