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
            await using var file = new FileStream(PathOf(jobId), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
            if (start != file.Length)
            {
                return (false, file.Length);
            }

            file.Seek(0, SeekOrigin.End);
            await body.CopyToAsync(file, cancel);
            return (true, file.Length);
        }
        finally
        {
            gate.Release();
        }
    }

    public long Length(long jobId) => File.Exists(PathOf(jobId)) ? new FileInfo(PathOf(jobId)).Length : 0;

    /// <summary>
    /// The log as a stream from its start (empty when the job wrote none), to send without holding it in memory.
    /// Appends may go on while it is read; the reader sees the length at the time it reaches the end.
    /// </summary>
    public Stream OpenRead(long jobId)
    {
        try
        {
            return new FileStream(PathOf(jobId), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
        }
        catch (FileNotFoundException)
        {
            return Stream.Null;
        }
        catch (DirectoryNotFoundException)
        {
            return Stream.Null;
        }
    }

    /// <summary>The whole log, or empty when the job wrote none.</summary>
    public async Task<byte[]> ReadAsync(long jobId, CancellationToken cancel) =>
        File.Exists(PathOf(jobId)) ? await File.ReadAllBytesAsync(PathOf(jobId), cancel) : [];

    /// <summary>The log's file, to read a part of it (the web UI's tail and live view); null when the job wrote none.</summary>
    public string? FileOf(long jobId) => File.Exists(PathOf(jobId)) ? PathOf(jobId) : null;

    private string PathOf(long jobId) => Path.Combine(directory, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");
}
