using System.Buffers;
using System.Globalization;
using System.Text;

namespace Relais.Runner.Trace;

/// <summary>
/// A job's log: masks every byte (streaming, across writes), adds runner messages in colour and GitLab's section
/// markers, caps the size, and hands the result to an <see cref="IJobTrace"/>. One lock serializes writers.
/// </summary>
public sealed class JobLog : IJobLog
{
    /// <summary>gitlab-runner's default <c>output_limit</c>: 4 MiB.</summary>
    public const long DefaultLimit = 4L * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly IJobTrace _trace;
    private readonly StreamingMasker _masker;
    private readonly TimeProvider _time;
    private readonly long _limit;
    private readonly ArrayBufferWriter<byte> _masked = new(4096);
    private long _written;
    private bool _truncated;

    /// <summary>Creates a log.</summary>
    /// <param name="trace">Where masked bytes go.</param>
    /// <param name="masker">The job's masker.</param>
    /// <param name="time">The clock for section timestamps.</param>
    /// <param name="limit">Bytes kept at most (0 or less: no limit); later output is dropped with one notice.</param>
    public JobLog(IJobTrace trace, StreamingMasker masker, TimeProvider time, long limit = DefaultLimit)
    {
        _trace = trace ?? throw new ArgumentNullException(nameof(trace));
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _limit = limit;
    }

    /// <summary>Bytes handed to the trace so far.</summary>
    public long BytesWritten
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> output)
    {
        lock (_lock)
        {
            Append_NeedsLock(output);
        }
    }

    /// <inheritdoc />
    public void Info(string message) => Line(message, null);

    /// <inheritdoc />
    public void Notice(string message) => Line(message, Ansi.BoldGreen);

    /// <inheritdoc />
    public void Warning(string message) => Line("WARNING: " + message, Ansi.Yellow);

    /// <inheritdoc />
    public void Error(string message) => Line("ERROR: " + message, Ansi.BoldRed);

    /// <summary>Opens a collapsible section: <c>section_start:&lt;unix ts&gt;:&lt;name&gt;\r\e[0K</c> and a cyan header.</summary>
    public void SectionStart(string name, string header, bool collapsed = false)
    {
        var options = collapsed ? "[collapsed=true]" : "";
        Text($"section_start:{Now()}:{name}{options}\r{Ansi.Clear}{Ansi.Clear}{Ansi.BoldCyan}{header}{Ansi.Reset}\n");
    }

    /// <summary>Closes a section.</summary>
    public void SectionEnd(string name) => Text($"section_end:{Now()}:{name}\r{Ansi.Clear}\n");

    /// <summary>Writes out what the masker still holds back (at the end of the job).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _masker.Flush(_masked);
            Emit_NeedsLock();
        }
    }

    private void Line(string message, string? colour)
    {
        ArgumentNullException.ThrowIfNull(message);
        Text(colour is null ? message + "\n" : colour + message + Ansi.Reset + "\n");
    }

    private void Text(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_lock)
        {
            Append_NeedsLock(bytes);
        }
    }

    private string Now() => _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private void Append_NeedsLock(ReadOnlySpan<byte> bytes)
    {
        if (_truncated)
        {
            return;
        }

        _masker.Write(bytes, _masked);
        Emit_NeedsLock();
    }

    private void Emit_NeedsLock()
    {
        var span = _masked.WrittenSpan;
        if (span.IsEmpty || _truncated)
        {
            _masked.ResetWrittenCount();
            return;
        }

        if (_limit > 0 && _written + span.Length > _limit)
        {
            span = span[..(int)Math.Max(0, _limit - _written)];
            _truncated = true;
        }

        _trace.Write(span);
        _written += span.Length;
        _masked.ResetWrittenCount();
        if (_truncated)
        {
            var notice = Encoding.UTF8.GetBytes(
                $"\n{Ansi.Yellow}WARNING: The job log exceeded {_limit} bytes; the job goes on, later output is not kept.{Ansi.Reset}\n");
            _trace.Write(notice);
            _written += notice.Length;
        }
    }
}
