using System.Diagnostics;
using System.Globalization;
using System.Text;
using Relais.Engine;
using Relais.Pipelines.Expressions;
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
    private readonly Dictionary<string, string> _coverage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PipelineState> _children = new(StringComparer.Ordinal);

    /// <summary>Records how the child pipeline of bridge <paramref name="bridge"/> (its name as printed) ended, for the summary.</summary>
    public void Child(string bridge, PipelineState state)
    {
        lock (_lock)
        {
            _children[bridge] = state;
        }
    }

    /// <summary>A trace that prints <paramref name="job"/>'s log and reads its coverage with <paramref name="coveragePattern"/>.</summary>
    public IJobTrace TraceFor(string job, string? coveragePattern = null)
    {
        var trace = new LineTrace(this, Prefix(job), new JobCoverage(coveragePattern));
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
        if (trace?.Coverage.Value is { } coverage)
        {
            lock (_lock)
            {
                _coverage[job] = coverage;
            }
        }
    }

    public void Error(string job, string message) => Line(Prefix(job), "relais: " + message);

    public void Summary(PipelineState state)
    {
        lock (_lock)
        {
            ClearStatusNeedsLock();
            writer.WriteLine();
            var width = Math.Max(3, Math.Max(nameWidth, RowNamesNeedsLock(state, "").Max(n => (int?)n.Length) ?? 0));
            var coverageColumn = _coverage.Count > 0;
            writer.WriteLine($"{"job".PadRight(width)}  {"stage",-12} {"status",-26} {(coverageColumn ? "duration  coverage" : "duration")}");
            SummaryRowsNeedsLock(state, "", width, coverageColumn);

            var total = _clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            writer.WriteLine();
            writer.WriteLine($"pipeline {Colored(state.Status.ToGitLab(), state.Status)}{(state.HasWarnings ? " with warnings" : "")} in {total}s");
            writer.Flush();
        }
    }

    /// <summary>The names the summary prints for <paramref name="state"/>'s jobs and its child pipelines' jobs.</summary>
    private IEnumerable<string> RowNamesNeedsLock(PipelineState state, string prefix)
    {
        foreach (var job in state.CurrentJobs)
        {
            yield return prefix + job.Name;
            if (_children.TryGetValue(prefix + job.Name, out var child))
            {
                foreach (var name in RowNamesNeedsLock(child, prefix + job.Name + " ▸ "))
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>One row per job of <paramref name="state"/>, each bridge's child pipeline's rows right after it.</summary>
    private void SummaryRowsNeedsLock(PipelineState state, string prefix, int width, bool coverageColumn)
    {
        foreach (var job in state.CurrentJobs)
        {
            var name = prefix + job.Name;
            var duration = job.StartedAt is { } s && job.FinishedAt is { } f ? (f - s).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s" : "";
            var stage = state.Plan.Job(job.Name)?.Stage ?? "";
            var status = job.Status.ToGitLab() + (job.HasWarning ? " (allowed to fail)" : "");
            var coverage = coverageColumn && _coverage.TryGetValue(name, out var c) ? $"{duration,-9} {c}%" : duration;
            writer.WriteLine($"{name.PadRight(width)}  {stage,-12} {Colored(status.PadRight(26), job.Status)} {coverage}");
            if (_children.TryGetValue(name, out var child))
            {
                SummaryRowsNeedsLock(child, name + " ▸ ", width, coverageColumn);
            }
        }
    }

    private string Prefix(string job)
    {
        // A child pipeline's job (`bridge ▸ job`) keeps its whole name, even past the column.
        var name = job.Length > nameWidth && !job.Contains('▸', StringComparison.Ordinal) ? job[..nameWidth] : job.PadRight(nameWidth);
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
    private sealed class LineTrace(RunOutput output, string prefix, JobCoverage coverage) : IJobTrace
    {
        private readonly List<byte> _partial = [];

        /// <summary>The coverage read from the lines so far.</summary>
        public JobCoverage Coverage => coverage;

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
                Print(Encoding.UTF8.GetString([.. _partial]).TrimEnd('\r'));
                _partial.Clear();
                data = data[(newline + 1)..];
            }
        }

        /// <summary>Writes a last line that had no newline.</summary>
        public void Flush()
        {
            if (_partial.Count > 0)
            {
                Print(Encoding.UTF8.GetString([.. _partial]));
                _partial.Clear();
            }
        }

        private void Print(string line)
        {
            coverage.Read(line);
            output.Line(prefix, line);
        }
    }
}
