namespace Relais.Cli;

/// <summary>Dispatches <c>relais COMMAND</c> to its command. Every command is wired here, in one visible place.</summary>
internal static class CommandLine
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, Directory.GetCurrentDirectory());

    /// <summary>Runs one command as if started in <paramref name="workingDirectory"/>, on the system clock.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory) =>
        RunAsync(args, stdout, stderr, workingDirectory, TimeProvider.System);

    /// <summary>Runs one command as if started in <paramref name="workingDirectory"/>; <paramref name="time"/> is the one clock.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory, TimeProvider time)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "lint":
                return await Commands.LintCommand.RunAsync(args[1..], stdout, stderr, workingDirectory);
            case "plan":
                return await Commands.PlanCommand.RunAsync(args[1..], stdout, stderr, workingDirectory);
            case "run":
                return await Commands.RunCommand.RunAsync(args[1..], stdout, stderr, workingDirectory, time);
            case "runner":
                return await Commands.RunnerCommand.RunAsync(args[1..], stdout, stderr, workingDirectory);
            case "gitops":
                return await Commands.GitOpsCommand.RunAsync(args[1..], stdout, stderr, workingDirectory, time);
            case "serve":
                return await Commands.ServeCommand.RunAsync(args[1..], stdout, stderr, workingDirectory);
            case "ssh-keys":
                return await Commands.Ssh.SshKeysCommand.RunAsync(args[1..], stdout, stderr);
            case "ssh-git":
                return await Commands.Ssh.SshGitCommand.RunAsync(args[1..], stdout, stderr);
            case "--version" or "version":
                await stdout.WriteLineAsync("relais " + typeof(CommandLine).Assembly.GetName().Version?.ToString(3));
                return 0;
            default:
                await stderr.WriteLineAsync($"relais: unknown command `{args[0]}`. Run `relais --help` for the commands.");
                return 2;
        }
    }

    private const string Usage = """
        relais — runs your .gitlab-ci.yml pipelines

        Commands:
          serve [OPTIONS]      run the coordinator (runner API v4; SQLite under .relais-data/)
          lint [FILE]          check a configuration; exit 1 on errors
          plan [OPTIONS]       show the jobs a pipeline would run (--json for machines)
          run [JOB...]         run the pipeline here, with no server
          runner [OPTIONS]     run jobs for a coordinator (GitLab runner API v4)
          runner register      add a runner to its config file, like gitlab-runner register (--help)
          gitops [OPTIONS]     GitOps agent: image updates committed to git, applied to Swarm/Compose/Kubernetes
                               (diff, reconcile, suspend, resume; --help)
          ssh-keys, ssh-git    run by the sshd that `relais serve` starts (git over SSH; docs/ssh.md)
          --version            print the version

        """;
}
