using System.Globalization;

namespace Relais.Runner.Trace;

/// <summary>The IEEE CRC-32 the job update reports over the whole trace (<c>crc32:%08x</c>).</summary>
public static class TraceChecksum
{
    /// <summary>The running value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    /// <summary>Folds <paramref name="data"/> into a running value.</summary>
    public static uint Update(uint running, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            running = Table[(running ^ b) & 0xFF] ^ (running >> 8);
        }

        return running;
    }

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(Initial, data);

    /// <summary>Formats a running value as <c>crc32:1a2b3c4d</c>.</summary>
    public static string Format(uint running) =>
        "crc32:" + (~running).ToString("x8", CultureInfo.InvariantCulture);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
