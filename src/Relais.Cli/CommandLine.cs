namespace Relais.Cli;

/// <summary>Dispatches <c>relais COMMAND</c> to its command. Every command is wired here, in one visible place.</summary>
internal static class CommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Directory.GetCurrentDirectory());

    /// <summary>Runs one command as if started in <paramref name="workingDirectory"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "lint":
                return Commands.LintCommand.Run(args[1..], stdout, stderr, workingDirectory);
            case "plan":
                return Commands.PlanCommand.Run(args[1..], stdout, stderr, workingDirectory);
            case "run":
                return Commands.RunCommand.Run(args[1..], stdout, stderr, workingDirectory);
            case "--version" or "version":
                stdout.WriteLine("relais " + typeof(CommandLine).Assembly.GetName().Version?.ToString(3));
                return 0;
            default:
                stderr.WriteLine($"relais: unknown command `{args[0]}`. Run `relais --help` for the commands.");
                return 2;
        }
    }

    private const string Usage = """
        relais — runs your .gitlab-ci.yml pipelines

        Commands:
          lint [FILE]          check a configuration; exit 1 on errors
          plan [OPTIONS]       show the jobs a pipeline would run (--json for machines)
          run [JOB...]         run the pipeline here, with no server
          --version            print the version

        """;
}
