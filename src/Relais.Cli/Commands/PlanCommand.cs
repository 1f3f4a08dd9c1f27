using Relais.Cli.Output;
using Relais.Pipelines;
using Relais.Pipelines.Context;

namespace Relais.Cli.Commands;

/// <summary><c>relais plan</c>: the jobs a pipeline would run, as text or JSON, or why one job is in or out (<c>--explain</c>).</summary>
internal static class PlanCommand
{
    public const string Usage = """
        usage: relais plan [OPTIONS] [--json] [--explain JOB]

        Compiles this checkout's .gitlab-ci.yml for a pipeline (default: a push to the current
        branch, the working tree) and shows its stages and jobs: when each runs, whether it may
        fail, and what it needs. Exits 1 when the configuration is invalid.

          --json                machine-readable plan: stages, jobs, diagnostics
          --explain JOB         why JOB is in or out: the rule or only/except clause that decided,
                                and the values it compared

        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var valued = new HashSet<string>(PipelineOptions.Valued) { "explain" };
        var flags = new HashSet<string>(PipelineOptions.Flags) { "json", "help" };
        var args = Args.Parse(argv, valued, flags, out var error);
        if (error is not null || args.Flag("help") || args.Positional.Count > 0)
        {
            error ??= args.Positional.Count > 0 ? $"unexpected argument `{args.Positional[0]}`" : null;
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais plan: {error}\n") + Usage + PipelineOptions.Help + "\n");
            return error is null ? 0 : 2;
        }

        var (request, problem, _) = await PipelineOptions.BuildAsync(args, workingDirectory, CancellationToken.None);
        if (request is null)
        {
            stderr.WriteLine("relais plan: " + problem);
            return 2;
        }

        var result = await PipelineOptions.CompileAsync(request with { Explain = args.Value("explain") is not null }, CancellationToken.None);
        if (args.Flag("json"))
        {
            using var json = new MemoryStream();
            PlanJson.Write(json, result);
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(json.GetBuffer(), 0, (int)json.Length));
            return result.HasErrors ? 1 : 0;
        }

        var term = Terminal.For(stdout);
        DiagnosticsText.Write(stdout, result.Diagnostics, term);
        if (result.HasErrors)
        {
            return 1;
        }

        var describe = $"{(request.Context.IsTag ? "tag" : "branch")} `{request.Context.Ref}` ({request.Context.Source.ToName()})";
        if (args.Value("explain") is { } job)
        {
            return ExplainText.Write(stdout, stderr, result, job, describe, term);
        }

        if (!result.Workflow.Created)
        {
            stdout.WriteLine($"No pipeline for {describe}: {result.Workflow.Reason}.");
            return 0;
        }

        PlanText.Write(stdout, result, describe, term);
        return 0;
    }
}
