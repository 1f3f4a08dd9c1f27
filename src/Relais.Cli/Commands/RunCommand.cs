using Relais.Cli.Output;
using Relais.Cli.Run;
using Relais.Engine;
using Relais.Pipelines;
using Relais.Runner.Executors;
using Relais.Protocol;

namespace Relais.Cli.Commands;

/// <summary><c>relais run [JOB…]</c>: runs this checkout's pipeline here, with the shell executor and no server.</summary>
internal static class RunCommand
{
    public const string Usage = """
        usage: relais run [JOB...] [OPTIONS]

        Runs the pipeline of this checkout's .gitlab-ci.yml (the working tree, uncommitted changes
        included) on this machine, with GitLab's rules for what runs when. Each job's output is
        prefixed with its name; a summary follows. Builds, caches and artifacts are kept in .relais/.
        Exit 0 when the pipeline passes, 1 when it fails.

          JOB...                run only these jobs (a name as written selects all its parallel jobs)
          --needs               with JOB: also run what those jobs need, transitively
          --manual JOB          play this manual job when it is reached (repeatable)
          --concurrency N       run at most N jobs at once (default: the number of CPUs)
          --executor NAME       shell (default), docker (every job in a container; jobs without
                                an image use busybox:latest), or auto (docker for jobs with an image)

        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory, TimeProvider time)
    {
        var valued = new HashSet<string>(PipelineOptions.Valued) { "manual", "concurrency", "executor" };
        var flags = new HashSet<string>(PipelineOptions.Flags) { "needs", "help" };
        var args = Args.Parse(argv, valued, flags, out var error);
        var concurrency = Environment.ProcessorCount;
        if (error is null && args.Value("concurrency") is { } c && (!int.TryParse(c, out concurrency) || concurrency < 1))
        {
            error = $"--concurrency `{c}` should be a whole number of at least 1";
        }

        var executor = args.Value("executor") ?? "shell";
        if (error is null && !ExecutorCatalog.Contains(executor))
        {
            error = ExecutorCatalog.Unknown(executor);
        }

        if (error is not null || args.Flag("help"))
        {
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais run: {error}\n") + Usage + PipelineOptions.Help + "\n");
            return error is null ? 0 : 2;
        }

        var built = await PipelineOptions.BuildAsync(args, workingDirectory, CancellationToken.None);
        var (request, problem, root) = built;
        if (request is null)
        {
            stderr.WriteLine("relais run: " + problem);
            return 2;
        }

        var result = await PipelineOptions.CompileAsync(request, CancellationToken.None);
        var term = Terminal.For(stdout);
        DiagnosticsText.Write(result.HasErrors ? stdout : stderr, result.Diagnostics, term);
        if (result.HasErrors || result.Plan is null)
        {
            stdout.WriteLine(result.HasErrors ? "relais run: the configuration is invalid; nothing was run" : $"relais run: no pipeline: {result.Workflow.Reason}");
            return 1;
        }

        var plan = JobSelection.Select(result.Plan, args.Positional, args.Flag("needs"), out var unknown);
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"relais run: no job named {string.Join(", ", unknown.Select(u => "`" + u + "`"))} in this pipeline. The jobs are: {string.Join(", ", result.Plan.Jobs.Select(j => j.Name))}");
            return 2;
        }

        var play = new HashSet<string>(args.Values("manual").Concat(args.Positional), StringComparer.Ordinal);
        var output = new RunOutput(stdout, term.Color, Math.Min(32, plan.Jobs.Select(j => j.Name.Length).DefaultIfEmpty(8).Max()));
        var runner = new LocalJobRunner(plan, request.Context, new LocalPaths(root).Ensure(), executor, time);
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var run = new LocalRun(output, concurrency, play, time, built.OpenFiles!);
            var state = await new LocalPipeline(runner, run).RunAsync(interrupt.Token);
            output.Summary(state);
            return state.Status == CiStatus.Success ? 0 : 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
