using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Relais.Server.Logs;

/// <summary>What became of one trace patch (see <see cref="TraceStore.AppendAsync"/>).</summary>
public enum TraceAppendOutcome
{
    /// <summary>The whole patch was appended.</summary>
    Appended,

    /// <summary>The patch did not start at the log's current length; nothing was appended.</summary>
    WrongStart,

    /// <summary>The patch reached the size limit: what fitted was appended, then the note that the log was cut.</summary>
    Cut,

    /// <summary>The log was cut before: nothing more is kept.</summary>
    Full,
}

/// <summary>
/// Job logs as one append-only file per job (<c>DATA/traces/ID.log</c>). An append succeeds only at the
/// current end of the log, as GitLab's does; appends to one job are serialised, different jobs run in parallel.
/// A log holds at most <paramref name="maxLength"/> bytes of the job's output (GitLab's default job log limit,
/// 100 MiB, unless <c>--max-trace-size</c> says otherwise): the patch that crosses it is cut there and followed by
/// a note saying so, which puts the file past the limit, and that is how a cut log is recognised (after a restart too).
/// </summary>
public sealed class TraceStore(string directory, long maxLength = TraceStore.DefaultMaxLength)
{
    /// <summary>GitLab's default maximum job log size (the <c>ci_jobs_trace_size_limit</c> plan limit): 100 MiB.</summary>
    public const long DefaultMaxLength = 100L * 1024 * 1024;

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();

    /// <summary>The most bytes of output a log keeps.</summary>
    public long MaxLength => maxLength;

    /// <summary>The line appended where a log is cut (after a line break, in red, as runners colour their own errors).</summary>
    public static string CutNote(long limit) =>
        $"\n\u001b[31;1mJob's log exceeded limit of {limit.ToString(CultureInfo.InvariantCulture)} bytes.\u001b[0;m\n" +
        "\u001b[31;1mThe server keeps no more of this log; the job itself goes on.\u001b[0;m\n";

    /// <summary>
    /// Appends <paramref name="body"/> if <paramref name="start"/> is the current length, up to the size limit (see
    /// <see cref="TraceAppendOutcome"/>). Returns what happened, and the length after.
    /// </summary>
    public async Task<(TraceAppendOutcome Outcome, long Length)> AppendAsync(long jobId, long start, Stream body, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(body);
        var gate = _locks.GetOrAdd(jobId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancel);
        try
        {
            Directory.CreateDirectory(directory);
            // Unbuffered (the copy has its own buffer), so a failed append can be cut back without flushing anything first.
            await using var file = new FileStream(PathOf(jobId), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
            if (file.Length > maxLength)
            {
                return (TraceAppendOutcome.Full, file.Length);
            }

            if (start != file.Length)
            {
                return (TraceAppendOutcome.WrongStart, file.Length);
            }

            file.Seek(0, SeekOrigin.End);
            bool cut;
            try
            {
                cut = await CopyAtMostAsync(body, file, maxLength - start, cancel);
                if (cut)
                {
                    await file.WriteAsync(Encoding.UTF8.GetBytes(CutNote(maxLength)), cancel);
                }

                await file.FlushAsync(cancel);
            }
            catch
            {
                // A patch is appended whole or not at all (a full disk, a body past its limit, a client gone).
                file.SetLength(start);
                throw;
            }

            return (cut ? TraceAppendOutcome.Cut : TraceAppendOutcome.Appended, file.Length);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Copies at most <paramref name="room"/> bytes; true when the body had more (the rest is left unread).</summary>
    private static async Task<bool> CopyAtMostAsync(Stream body, Stream file, long room, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancel)) > 0)
        {
            var keep = (int)Math.Min(read, room);
            await file.WriteAsync(buffer.AsMemory(0, keep), cancel);
            room -= keep;
            if (keep < read)
            {
                return true;
            }
        }

        return false;
    }

    public long Length(long jobId) => File.Exists(PathOf(jobId)) ? new FileInfo(PathOf(jobId)).Length : 0;

    /// <summary>Removes a job's log (its pipeline was deleted); a missing one is no error.</summary>
    public void DeleteLog(long jobId) => File.Delete(PathOf(jobId));

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

    /// <summary>Deletes the job's log (an erased job); a job without one is no error.</summary>
    public void Delete(long jobId)
    {
        if (File.Exists(PathOf(jobId)))
        {
            File.Delete(PathOf(jobId));
        }
    }

    private string PathOf(long jobId) => Path.Combine(directory, jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".log");
}
