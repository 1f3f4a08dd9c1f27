using System.Globalization;

namespace Relais.Runner.Trace;

/// <summary>The IEEE CRC-32 the job update reports over the whole trace (<c>crc32:%08x</c>).</summary>
public static class TraceChecksum
{
    /// <summary>The running value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Eight tables for slicing-by-8: <c>Tables[k][b]</c> is the CRC of byte <c>b</c> followed by <c>k</c> zero bytes.</summary>
    private static readonly uint[][] Tables = BuildTables();

    /// <summary>Folds <paramref name="data"/> into a running value, eight bytes per step (a job log can be tens of megabytes).</summary>
    public static uint Update(uint running, ReadOnlySpan<byte> data)
    {
        var (t0, t1, t2, t3, t4, t5, t6, t7) = (Tables[0], Tables[1], Tables[2], Tables[3], Tables[4], Tables[5], Tables[6], Tables[7]);
        while (data.Length >= 8)
        {
            var low = running ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data);
            var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            running = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            running = t0[(running ^ b) & 0xFF] ^ (running >> 8);
        }

        return running;
    }

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(Initial, data);

    /// <summary>Formats a running value as <c>crc32:1a2b3c4d</c>.</summary>
    public static string Format(uint running) =>
        "crc32:" + (~running).ToString("x8", CultureInfo.InvariantCulture);

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[0][n] = c;
        }

        for (var k = 1; k < 8; k++)
        {
            tables[k] = new uint[256];
            for (var n = 0; n < 256; n++)
            {
                var previous = tables[k - 1][n];
                tables[k][n] = (previous >> 8) ^ tables[0][previous & 0xFF];
            }
        }

        return tables;
    }
}
