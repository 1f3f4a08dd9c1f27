using System.Globalization;
using Relais.Bench.Compile;
using Relais.Bench.Engine;
using Relais.Bench.Gen;
using Relais.Bench.Harness;
using Relais.Bench.Profile;
using Relais.Bench.State;

namespace Relais.Bench;

/// <summary>
/// Benchmarks of Relais, by mode. Run in Release from the repository root:
/// <c>dotnet run -c Release --project bench/Relais.Bench -- MODE [ARGS]</c>.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project bench/Relais.Bench -- MODE [ARGS]

          gen [--out DIR] [--jobs N] [--seed N]
              write the benchmark repositories (git checkouts) under DIR (default bench/.work):
              big/ (the generated N-job monorepo pipeline; default 1000 jobs, seed 42),
              tiny-flat/ and tiny-chain/ (for relais run comparisons)
          compile [REPO] [--iterations N] [--warmup N] [--json FILE]
              compile REPO's .gitlab-ci.yml in-process (default bench/.work/big); target: median < 50 ms
          parse [REPO] [--iterations N] [--warmup N] [--json FILE]
              the YAML parse stage alone, on the same file
          engine [--jobs N] [--iterations N] [--warmup N]
              the engine alone: a pipeline of N one-line jobs (default 1000), each started and finished;
              prints the time per event
          state [--jobs N] [--iterations N] [--warmup N]
              the store's form of an N-job pipeline state (default 1000): bytes written per event, time to
              save and to load the whole state (without the database)
          profile FILE.nettrace [--allocations yes] [--top N]
              where the time (CPU samples) or the allocations went in a trace the runtime wrote itself
              (DOTNET_EnableEventPipe=1; the recipe is in docs/benchmarks.md)
          regex [--jobs N] [--parallel N] [--iterations N]
              the catastrophic push of issue #12: N jobs (default 50) x parallel: N (default 200), each with
              rules:if '$X =~ /(a+)+$/' against 30 a's and '!'; prints wall and CPU time per compile (target < 2 s CPU)
          bdn compile|parse [REPO]
              the same under BenchmarkDotNet (slower; results in bench/results/bdn)

        Exit codes: 0 done, 1 failed, 2 usage, 3 the compiler is not implemented yet.
        """;

    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Error.Write(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return Run(args[0], Args.Parse(args.AsSpan(1)));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("relais-bench: " + e.Message);
            Console.Error.Write(Usage);
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            Console.Error.WriteLine("relais-bench: " + e.Message);
            return 1;
        }
    }

    private static int Run(string mode, Args a)
    {
        var root = RepositoryRoot();
        var work = Path.Combine(root, "bench", ".work");
        var options = new HarnessOptions(
            WarmupIterations: a.Int("warmup", 10),
            Iterations: a.Int("iterations", 30));
        string Repo(int i) => Path.GetFullPath(a.Positional(i) ?? Path.Combine(work, "big"));
        return mode switch
        {
            "gen" => Generator.Run(Path.GetFullPath(a.Value("out") ?? work), a.Int("jobs", 1000), a.Int("seed", 42), Console.Out),
            "compile" => CompileModes.Compile(BenchRepo.Load(Repo(0)), options, a.Value("json"), Console.Out),
            "profile" => ProfileModes.Run(a.Positional(0) ?? throw new ArgumentException("profile needs a .nettrace file"),
                a.Value("allocations") is "yes" or "true", a.Int("top", 40), Console.Out),
            "engine" => EngineModes.Run(a.Int("jobs", 1000), options, Console.Out),
            "state" => StateModes.Run(a.Int("jobs", 1000), options, Console.Out),
            "regex" => CatastrophicRegexMode.Run(a.Int("jobs", 50), a.Int("parallel", 200), a.Int("iterations", 3), Console.Out),
            "parse" => CompileModes.Parse(BenchRepo.Load(Repo(0)), options, a.Value("json"), Console.Out),
            "bdn" => CompileBenchmarks.RunBdn(BenchRepo.Load(Repo(1)), a.Positional(0) ?? "compile",
                Path.Combine(root, "bench", "results", "bdn"), Console.Out),
            _ => throw new ArgumentException($"unknown mode `{mode}`"),
        };
    }

    /// <summary>The checkout this binary was built from (it lives under bench/Relais.Bench/bin/...), else the current folder.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Relais.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>Positional arguments and <c>--name value</c> options.</summary>
    private sealed class Args
    {
        private readonly List<string> _positional = [];
        private readonly Dictionary<string, string> _named = new(StringComparer.Ordinal);

        public static Args Parse(ReadOnlySpan<string> args)
        {
            var a = new Args();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new ArgumentException($"{args[i]} needs a value");
                    }

                    a._named[args[i][2..]] = args[++i];
                }
                else
                {
                    a._positional.Add(args[i]);
                }
            }

            return a;
        }

        public string? Positional(int i) => i < _positional.Count ? _positional[i] : null;

        public string? Value(string name) => _named.GetValueOrDefault(name);

        public int Int(string name, int fallback) =>
            Value(name) is not { } v ? fallback
            : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"--{name} takes a positive whole number, not `{v}`");
    }
}
