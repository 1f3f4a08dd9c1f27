using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Relais.Pipelines;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Yaml;

namespace Relais.Bench.Compile;

/// <summary>
/// The same two benchmarks under BenchmarkDotNet (<c>bdn</c> mode), for careful numbers: it picks the
/// iteration count itself and reports error bars. It runs in this process (the in-process emit
/// toolchain): BenchmarkDotNet's default of generating and building a project per run takes minutes on
/// two cores and would inherit the repository's warnings-as-errors build settings.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    /// <summary>Set by <see cref="RunBdn"/> before BenchmarkDotNet creates this class (same process).</summary>
    internal static BenchRepo? Repo { get; set; }

    private BenchRepo _repo = null!;

    [GlobalSetup]
    public void Setup() => _repo = Repo ?? throw new InvalidOperationException("no repository loaded");

    [Benchmark]
    public CompileResult Compile() => PipelineCompiler.Compile(_repo.Request());

    [Benchmark]
    public YamlFile? Parse() => YamlLoader.Load(".gitlab-ci.yml", _repo.EntryText, new DiagnosticBag());

    internal static int RunBdn(BenchRepo repo, string which, string artifacts, TextWriter o)
    {
        Repo = repo;
        if (which == "compile" && CompileModes.Probe(repo, o) is { } exit)
        {
            return exit;
        }

        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(JsonExporter.Brief)
            .WithArtifactsPath(artifacts)
            .AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => string.Equals(name, which, StringComparison.OrdinalIgnoreCase)));
        var summary = BenchmarkRunner.Run<CompileBenchmarks>(config);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
