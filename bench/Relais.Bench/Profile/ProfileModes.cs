using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Relais.Bench.Profile;

/// <summary>
/// <c>profile FILE.nettrace</c>: reads a trace written by the runtime's own EventPipe (no dotnet-trace needed) and
/// prints where the time went (CPU samples, by method, exclusive and inclusive) or, with <c>--allocations</c>, what was
/// allocated (by type, and by the first Relais method on the stack). Record one with, for example:
/// <c>DOTNET_EnableEventPipe=1 DOTNET_EventPipeOutputPath=/tmp/trace-{pid}.nettrace
/// DOTNET_EventPipeConfig='Microsoft-DotNETCore-SampleProfiler:0:5,Microsoft-Windows-DotNETRuntime:0x4c14fccbd:5' ./relais serve …</c>
/// (the trace is complete when the process exits normally).
/// </summary>
internal static class ProfileModes
{
    private const string SampleProvider = "Microsoft-DotNETCore-SampleProfiler";

    public static int Run(string path, bool allocations, int top, TextWriter o)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"no trace at {path}");
        }

        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
        if (allocations)
        {
            Allocations(log, top, o);
        }
        else
        {
            Samples(log, top, o);
        }

        return 0;
    }

    private static void Samples(TraceLog log, int top, TextWriter o)
    {
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var e in log.Events)
        {
            if (e.ProviderName != SampleProvider || e.CallStack() is not { } stack)
            {
                continue;
            }

            total++;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var frame = stack; frame is not null; frame = frame.Caller)
            {
                var name = Name(frame.CodeAddress);
                if (frame == stack)
                {
                    exclusive[name] = exclusive.GetValueOrDefault(name) + 1;
                }

                if (seen.Add(name))
                {
                    inclusive[name] = inclusive.GetValueOrDefault(name) + 1;
                }
            }
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} samples (every thread, waiting ones included: look past the Wait frames)"));
        Print(o, "exclusive", exclusive.Select(p => (p.Key, (double)p.Value)), top, "F0");
        Print(o, "inclusive", inclusive.Select(p => (p.Key, (double)p.Value)), top, "F0");
    }

    private static void Allocations(TraceLog log, int top, TextWriter o)
    {
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySite = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            byType[tick.TypeName] = byType.GetValueOrDefault(tick.TypeName) + tick.AllocationAmount64;
            for (var frame = e.CallStack(); frame is not null; frame = frame.Caller)
            {
                var name = Name(frame.CodeAddress);
                if (name.StartsWith("Relais.", StringComparison.Ordinal))
                {
                    var site = tick.TypeName + " <- " + name;
                    bySite[site] = bySite.GetValueOrDefault(site) + tick.AllocationAmount64;
                    break;
                }
            }
        }

        o.WriteLine("allocations sampled every ~100 KB, in MB");
        Print(o, "by type", byType.Select(p => (p.Key, p.Value / 1e6)), top, "F1");
        Print(o, "by type and the first Relais method on the stack", bySite.Select(p => (p.Key, p.Value / 1e6)), top, "F1");
    }

    private static string Name(TraceCodeAddress address) =>
        address.FullMethodName is { Length: > 0 } name ? name : address.ModuleName + "!?";

    private static void Print(TextWriter o, string title, IEnumerable<(string Name, double Value)> rows, int top, string format)
    {
        o.WriteLine("== " + title);
        foreach (var (name, value) in rows.OrderByDescending(r => r.Value).Take(top))
        {
            o.WriteLine(value.ToString(format, CultureInfo.InvariantCulture).PadLeft(9) + "  " + (name.Length > 160 ? name[..160] : name));
        }
    }
}
