using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relais.Engine;
using Relais.Protocol;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

namespace Relais.Cli.Run;

/// <summary>
/// What <c>relais run</c> prints: every job's log lines prefixed with its name, a live status line at
/// the bottom of a terminal (which jobs run, how many are done), and a summary table at the end.
/// All writes go through one lock so lines of parallel jobs never interleave mid-line.
/// </summary>
internal sealed class RunOutput(TextWriter writer, bool terminal, int nameWidth)
{
    private static readonly string[] Palette = ["36", "35", "34", "33", "32", "96", "95", "94"];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CiStatus> _status = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _statusShown;

    private readonly Dictionary<string, LineTrace> _traces = new(StringComparer.Ordinal);

    public IJobTrace TraceFor(string job)
    {
        var trace = new LineTrace(this, Prefix(job));
        lock (_lock)
        {
            _traces[job] = trace;
        }

        return trace;
    }

    public void Status(string job, CiStatus status)
    {
        lock (_lock)
        {
            _status[job] = status;
            RedrawStatusNeedsLock();
        }
    }

    public void Finished(string job, JobOutcome outcome)
    {
        LineTrace? trace;
        lock (_lock)
        {
            _outcomes[job] = outcome;
            _traces.Remove(job, out trace);
        }

        trace?.Flush();
    }

    public void Error(string job, string message) => Line(Prefix(job), "relais: " + message);

    public void Summary(PipelineState state)
    {
        lock (_lock)
        {
            ClearStatusNeedsLock();
            writer.WriteLine();
            var width = Math.Max(3, nameWidth);
            writer.WriteLine($"{"job".PadRight(width)}  {"stage",-12} {"status",-26} duration");
            foreach (var job in state.CurrentJobs)
            {
                var duration = job.StartedAt is { } s && job.FinishedAt is { } f ? (f - s).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s" : "";
                var stage = state.Plan.Job(job.Name)?.Stage ?? "";
                var status = job.Status.ToGitLab() + (job.HasWarning ? " (allowed to fail)" : "");
                writer.WriteLine($"{job.Name.PadRight(width)}  {stage,-12} {Colored(status.PadRight(26), job.Status)} {duration}");
            }

            var total = _clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            writer.WriteLine();
            writer.WriteLine($"pipeline {Colored(state.Status.ToGitLab(), state.Status)}{(state.HasWarnings ? " with warnings" : "")} in {total}s");
            writer.Flush();
        }
    }

    private string Prefix(string job)
    {
        var name = job.Length > nameWidth ? job[..nameWidth] : job.PadRight(nameWidth);
        if (!terminal)
        {
            return name + " | ";
        }

        lock (_lock)
        {
            if (!_colors.TryGetValue(job, out var color))
            {
                _colors[job] = color = Palette[_colors.Count % Palette.Length];
            }

            return $"\u001b[{color}m{name}\u001b[0m │ ";
        }
    }

    private void Line(string prefix, string text)
    {
        var marked = text.Contains("section_", StringComparison.Ordinal);
        text = LogDisplay.ForScreen(text, terminal);
        if (marked && string.IsNullOrWhiteSpace(LogDisplay.ForScreen(text, terminal: false)))
        {
            return;
        }

        lock (_lock)
        {
            ClearStatusNeedsLock();
            writer.Write(prefix);
            writer.WriteLine(text);
            RedrawStatusNeedsLock();
        }
    }

    private void ClearStatusNeedsLock()
    {
        if (_statusShown)
        {
            writer.Write("\r\u001b[2K");
            _statusShown = false;
        }
    }

    private void RedrawStatusNeedsLock()
    {
        if (!terminal)
        {
            writer.Flush();
            return;
        }

        ClearStatusNeedsLock();
        var running = _status.Where(s => s.Value == CiStatus.Running).Select(s => s.Key).ToList();
        var done = _status.Count(s => s.Value.IsCompleted());
        var failed = _status.Count(s => s.Value == CiStatus.Failed);
        var text = $"⏵ {done}/{_status.Count} done{(failed > 0 ? $", {failed} failed" : "")} · {_clock.Elapsed.TotalSeconds:0.0}s"
            + (running.Count > 0 ? " · running: " + string.Join(", ", running) : "");
        var width = Console.IsOutputRedirected ? 120 : Math.Max(20, Console.WindowWidth - 1);
        writer.Write("\u001b[2m" + (text.Length > width ? text[..width] : text) + "\u001b[0m");
        writer.Flush();
        _statusShown = true;
    }

    private string Colored(string text, CiStatus status) => !terminal ? text : status switch
    {
        CiStatus.Success => $"\u001b[32m{text}\u001b[0m",
        CiStatus.Failed => $"\u001b[31m{text}\u001b[0m",
        CiStatus.Canceled or CiStatus.Skipped or CiStatus.Manual => $"\u001b[33m{text}\u001b[0m",
        _ => text,
    };

    /// <summary>A job's log, cut into lines and written with the job's prefix.</summary>
    private sealed class LineTrace(RunOutput output, string prefix) : IJobTrace
    {
        private readonly List<byte> _partial = [];

        public void Write(ReadOnlySpan<byte> data)
        {
            while (data.Length > 0)
            {
                var newline = data.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _partial.AddRange(data);
                    return;
                }

                _partial.AddRange(data[..newline]);
                output.Line(prefix, Encoding.UTF8.GetString([.. _partial]).TrimEnd('\r'));
                _partial.Clear();
                data = data[(newline + 1)..];
            }
        }

        /// <summary>Writes a last line that had no newline.</summary>
        public void Flush()
        {
            if (_partial.Count > 0)
            {
                output.Line(prefix, Encoding.UTF8.GetString([.. _partial]));
                _partial.Clear();
            }
        }
    }
}
