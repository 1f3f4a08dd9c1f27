using System.Collections.Concurrent;

namespace Relais.Server.Logs;

/// <summary>
/// Job logs as one append-only file per job (<c>DATA/traces/ID.log</c>). An append succeeds only at the
/// current end of the log, as GitLab's does; appends to one job are serialised, different jobs run in parallel.
/// </summary>
public sealed class TraceStore(string directory)
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();

    /// <summary>Appends <paramref name="body"/> if <paramref name="start"/> is the current length. Returns whether it did, and the length after.</summary>
    public async Task<(bool Appended, long Length)> AppendAsync(long jobId, long start, Stream body, CancellationToken cancel)
    {
        var gate = _locks.GetOrAdd(jobId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancel);
        try
        {
            Directory.CreateDirectory(directory);
            // Unbuffered (the copy has its own buffer), so a failed append can be cut back without flushing anything first.
            await using var file = new FileStream(PathOf(jobId), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
            if (start != file.Length)
            {
                return (false, file.Length);
            }

            file.Seek(0, SeekOrigin.End);
            try
            {
                await body.CopyToAsync(file, cancel);
                await file.FlushAsync(cancel);
            }
            catch
            {
                // A patch is appended whole or not at all (a full disk, a body past its limit, a client gone).
                file.SetLength(start);
                throw;
            }

            return (true, file.Length);
        }
        finally
        {
            gate.Release();
        }
    }

    public long Length(long jobId) => File.Exists(PathOf(jobId)) ? new FileInfo(PathOf(jobId)).Length : 0;

    /// <summary>
    /// Copies the log as long as it is when the copy starts (nothing when the job wrote none) to
    /// <paramref name="destination"/>, without holding it in memory. Appends may go on meanwhile; they are not sent, so a
    /// reader always gets a whole prefix of the log.
    /// </summary>
    public async Task CopyToAsync(long jobId, Stream destination, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        FileStream file;
        try
        {
            file = new FileStream(PathOf(jobId), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        await using (file)
        {
            var left = file.Length;
            var buffer = new byte[64 * 1024];
            int read;
            while (left > 0 && (read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancel)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancel);
                left -= read;
            }
        }
    }

    /// <summary>The whole log, or empty when the job wrote none.</summary>
    public async Task<byte[]> ReadAsync(long jobId, CancellationToken cancel) =>
        File.Exists(PathOf(jobId)) ? await File.ReadAllBytesAsync(PathOf(jobId), cancel) : [];

    /// <summary>The log's file, to read a part of it (the web UI's tail and live view); null when the job wrote none.</summary>
    public string? FileOf(long jobId) => File.Exists(PathOf(jobId)) ? PathOf(jobId) : null;

    private string PathOf(long jobId) => Path.Combine(directory, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");
}
