using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Relais.Bench.Harness;

/// <summary>How long to warm up and how many timed calls to make.</summary>
internal sealed record HarnessOptions(int WarmupIterations = 10, TimeSpan? WarmupTime = null, int Iterations = 30)
{
    /// <summary>Warm-up lasts at least this long, so tiered JIT has promoted the hot methods (its delay is 100 ms a round).</summary>
    public TimeSpan MinWarmup => WarmupTime ?? TimeSpan.FromSeconds(2);
}

/// <summary>One benchmark's numbers, in milliseconds per call, and what each call allocated.</summary>
internal sealed record Measurement(
    string Name,
    int Iterations,
    int WarmupIterations,
    double ColdMs,
    double MinMs,
    double MedianMs,
    double MeanMs,
    double P90Ms,
    double MaxMs,
    double CpuMsPerOp,
    double AllocatedMiBPerOp,
    int Gen0,
    int Gen1,
    int Gen2);

/// <summary>
/// A small in-process harness: one cold call (what a fresh <c>relais plan</c> pays in JIT), a timed
/// warm-up, then N timed calls reported as min, median, mean, p90 and max. Used instead of BenchmarkDotNet
/// by default because it answers in seconds on two cores; <c>bdn</c> mode runs BenchmarkDotNet for the
/// careful version of the same numbers.
/// </summary>
internal static class StopwatchHarness
{
    private static object? _sink;

    public static Measurement Run(string name, Func<object?> op, HarnessOptions options)
    {
        var cold = Time(op);
        var warm = Stopwatch.StartNew();
        var warmups = 0;
        while (warmups < options.WarmupIterations || warm.Elapsed < options.MinWarmup)
        {
            _sink = op();
            warmups++;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var samples = new double[options.Iterations];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Time(op);
        }

        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        GC.KeepAlive(_sink);
        Array.Sort(samples);
        return new Measurement(
            name,
            samples.Length,
            warmups,
            cold,
            samples[0],
            Percentile(samples, 0.5),
            samples.Average(),
            Percentile(samples, 0.9),
            samples[^1],
            cpu.TotalMilliseconds / samples.Length,
            allocated / (double)samples.Length / (1024 * 1024),
            GC.CollectionCount(0) - g0,
            GC.CollectionCount(1) - g1,
            GC.CollectionCount(2) - g2);
    }

    private static double Time(Func<object?> op)
    {
        var start = Stopwatch.GetTimestamp();
        _sink = op();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static void Print(TextWriter w, IEnumerable<Measurement> results)
    {
        // cpu ms/call is the process's CPU time (every thread, GC included) over the timed calls: steadier
        // than wall-clock time when other work shares the machine.
        w.WriteLine("| benchmark | calls | cold ms | min ms | median ms | mean ms | p90 ms | max ms | cpu ms/call | alloc MiB/call | gc 0/1/2 |");
        w.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in results)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Name} | {m.Iterations} | {m.ColdMs:F1} | {m.MinMs:F2} | {m.MedianMs:F2} | {m.MeanMs:F2} | {m.P90Ms:F2} | {m.MaxMs:F2} | {m.CpuMsPerOp:F2} | {m.AllocatedMiBPerOp:F1} | {m.Gen0}/{m.Gen1}/{m.Gen2} |"));
        }
    }

    /// <summary>The load average, and a warning when the machine is too busy for the numbers to mean much.</summary>
    public static string LoadNote()
    {
        const string LoadAvg = "/proc/loadavg";
        if (!File.Exists(LoadAvg)
            || !double.TryParse(File.ReadAllText(LoadAvg).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load))
        {
            return $"machine: {Environment.ProcessorCount} cores";
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average {load:F2}");
        return load > Environment.ProcessorCount / 2.0
            ? note + "\nWARNING: the machine is busy: these numbers are inflated and noisy; rerun when it is quiet."
            : note;
    }

    public static void WriteJson(string path, object report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(report, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
