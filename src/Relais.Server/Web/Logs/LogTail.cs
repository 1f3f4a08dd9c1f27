namespace Relais.Server.Web.Logs;

/// <summary>
/// Reads parts of a log file without loading it whole: the tail the job page shows (the last
/// <see cref="TailBytes"/>, from a line start) and the bytes added since an offset (the live view). While a job
/// runs, only whole lines are returned, so a line is never rendered half.
/// </summary>
internal static class LogTail
{
    /// <summary>How much of a log the job page renders; the rest is behind the raw log link.</summary>
    public const int TailBytes = 256 * 1024;

    /// <summary>The most the live view sends at once.</summary>
    public const int ChunkBytes = 256 * 1024;

    /// <summary>The part to render: bytes, the offset they start at, the offset after them, and the file's length.</summary>
    public readonly record struct Part(byte[] Bytes, long Start, long End, long Length)
    {
        public bool Truncated => Start > 0;
    }

    public static async Task<Part> TailAsync(string? path, bool wholeLinesOnly, CancellationToken cancel)
    {
        if (path is null)
        {
            return new Part([], 0, 0, 0);
        }

        await using var file = Open(path);
        var length = file.Length;
        var start = Math.Max(0, length - TailBytes);
        var bytes = await ReadAsync(file, start, (int)(length - start), cancel);
        var skip = 0;
        if (start > 0 && Array.IndexOf(bytes, (byte)'\n') is var first and >= 0)
        {
            skip = first + 1; // begin at a line start
        }

        var keep = wholeLinesOnly ? Array.LastIndexOf(bytes, (byte)'\n') + 1 : bytes.Length;
        keep = Math.Max(keep, skip);
        return new Part(bytes[skip..keep], start + skip, start + keep, length);
    }

    /// <summary>What was appended after <paramref name="offset"/> (at most <see cref="ChunkBytes"/>; whole lines unless <paramref name="wholeLinesOnly"/> is false).</summary>
    public static async Task<Part> SinceAsync(string? path, long offset, bool wholeLinesOnly, CancellationToken cancel)
    {
        if (path is null)
        {
            return new Part([], offset, offset, 0);
        }

        await using var file = Open(path);
        var length = file.Length;
        if (length <= offset)
        {
            return new Part([], offset, offset, length);
        }

        var bytes = await ReadAsync(file, offset, (int)Math.Min(ChunkBytes, length - offset), cancel);
        var keep = bytes.Length;
        if (wholeLinesOnly || offset + bytes.Length < length)
        {
            keep = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (keep == 0 && bytes.Length == ChunkBytes)
            {
                keep = bytes.Length; // one very long line: send it in pieces rather than never
            }
        }

        return new Part(bytes[..keep], offset, offset + keep, length);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);

    private static async Task<byte[]> ReadAsync(FileStream file, long start, int count, CancellationToken cancel)
    {
        var bytes = new byte[count];
        file.Seek(start, SeekOrigin.Begin);
        await file.ReadExactlyAsync(bytes, cancel);
        return bytes;
    }
}
