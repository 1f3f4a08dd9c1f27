using Relais.Cli.Output;
using Relais.Pipelines;

namespace Relais.Cli.Commands;

/// <summary><c>relais lint [FILE]</c>: compiles the configuration for the current branch and prints every finding. Exit 1 on errors.</summary>
internal static class LintCommand
{
    public const string Usage = """
        usage: relais lint [FILE] [OPTIONS]

        Checks a .gitlab-ci.yml (default: the one at the top of this checkout), with its includes,
        as a push pipeline of the current branch. Prints file:line:column: error: message for each
        finding and exits 1 when there are errors.

        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var args = Args.Parse(argv, PipelineOptions.Valued, new HashSet<string>(PipelineOptions.Flags) { "help" }, out var error);
        if (error is not null || args.Flag("help") || args.Positional.Count > 1)
        {
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais lint: {error}\n") + Usage + PipelineOptions.Help + "\n");
            return error is null && args.Flag("help") ? 0 : 2;
        }

        var directory = workingDirectory;
        string? entry = null;
        if (args.Positional.Count == 1)
        {
            var full = Path.GetFullPath(args.Positional[0], workingDirectory);
            if (!File.Exists(full))
            {
                stderr.WriteLine($"relais lint: {args.Positional[0]}: no such file");
                return 2;
            }

            directory = Path.GetDirectoryName(full)!;
            entry = full;
        }

        var (request, problem, root) = await PipelineOptions.BuildAsync(args, directory, CancellationToken.None);
        if (request is null)
        {
            stderr.WriteLine("relais lint: " + problem);
            return 2;
        }

        if (entry is not null)
        {
            request = request with { EntryFile = Path.GetRelativePath(root, entry).Replace('\\', '/') };
        }

        var result = await PipelineOptions.CompileAsync(request, CancellationToken.None);
        var term = Terminal.For(stdout);
        DiagnosticsText.Write(stdout, result.Diagnostics, term);
        if (result.HasErrors)
        {
            var errors = result.Diagnostics.Count(d => d.Severity == Pipelines.Diagnostics.Severity.Error);
            stdout.WriteLine(term.Red($"{request.EntryFile}: {errors} error(s)"));
            return 1;
        }

        var jobs = result.Plan?.Jobs.Length ?? 0;
        stdout.WriteLine(term.Green($"{request.EntryFile} is valid") + (result.Workflow.Created
            ? $": {jobs} job(s) run in a push pipeline of `{request.Context.Ref}`"
            : $": workflow:rules create no pipeline for `{request.Context.Ref}` ({result.Workflow.Reason})"));
        return 0;
    }
}
