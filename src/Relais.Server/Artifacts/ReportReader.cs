using System.IO.Compression;

namespace Relais.Server.Artifacts;

/// <summary>
/// Reads a report the server parses (a dotenv report) with a bound on what it inflates: at most
/// <c>limit + 1</c> bytes come out of the (gzip or raw) stream, whatever the upload would decompress to, so a
/// gzip bomb costs the server a few kilobytes, never its memory. The caller refuses a result longer than its limit.
/// </summary>
internal static class ReportReader
{
    /// <summary>
    /// The first <paramref name="limit"/> + 1 bytes of the report (fewer when it is shorter). A result longer than
    /// <paramref name="limit"/> means the report is too big; nothing past that byte was read or decompressed.
    /// A broken gzip stream throws <see cref="InvalidDataException"/> (answered 400).
    /// </summary>
    public static async Task<byte[]> ReadAsync(Stream raw, string format, int limit, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Stream source = format == "gzip" ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        try
        {
            var buffer = new byte[limit + 1];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await source.ReadAsync(buffer.AsMemory(filled), cancel)) > 0)
            {
                filled += read;
            }

            return filled == buffer.Length ? buffer : buffer[..filled];
        }
        finally
        {
            if (!ReferenceEquals(source, raw))
            {
                await source.DisposeAsync();
            }
        }
    }
}
