using Relais.GitOps.Agent;
using Relais.GitOps.Config;

namespace Relais.Cli.Commands;

/// <summary>
/// <c>relais gitops</c>: the GitOps agent (Flux v2 resources and ours in a configuration folder), and its
/// <c>diff</c>, <c>reconcile</c>, <c>suspend</c> and <c>resume</c> subcommands (docs/gitops.md, "The agent").
/// </summary>
internal static class GitOpsCommand
{
    public const string Usage = """
        usage: relais gitops --config DIR [--secrets DIR] [--state DIR] [--coordinator URL --token-file FILE]
               relais gitops diff --config DIR [--secrets DIR] [--state DIR] [NAME]
               relais gitops reconcile NAME --config DIR [--secrets DIR] [--state DIR] [--coordinator URL --token-file FILE]
               relais gitops suspend|resume NAME [--config DIR] [--state DIR]

        Watches git and registries as the Flux v2 resources in --config say (GitRepository, ImageRepository,
        ImagePolicy, ImageUpdateAutomation, Kustomization) and Relais's SwarmStack and ComposeProject: commits
        new image tags to git and applies what git says, on every interval (drift is corrected). The first
        SIGTERM or Ctrl-C lets a running apply finish; a second one aborts it.

          --config DIR         the resources (every *.yaml/*.yml under DIR); errors print file:line:column and exit 2
          --secrets DIR        Secret manifests (stringData/data) that secretRef names; never from the watched repo
          --state DIR          git mirrors, work trees and markers (default ./.relais-gitops)
          --coordinator URL    report applies of resources naming a project and environment as deployments
          --token-file FILE    a personal or project access token for --coordinator (never logged)

          diff [NAME]          fetch and print what each SwarmStack/ComposeProject/Kustomization (or NAME)
                               would change: exit 0 no changes, 1 changes, 3 could not tell
          reconcile NAME       reconcile NAME and what it depends on, now: exit 0 healthy, 1 not
          suspend|resume NAME  a marker in --state the running agent honours at its next interval
                               (spec.suspend: true still wins); with --config, NAME is checked
        NAME is name, kind/name, namespace/name or kind/namespace/name.

        """;

    private static readonly HashSet<string> Valued = ["config", "secrets", "state", "coordinator", "token-file"];

    /// <summary>Builds the components the agent drives; tests give their own.</summary>
    internal static Func<GitOpsConfig, string, TimeProvider, GitOpsParts> Parts { get; set; } = GitOpsWiring.Create;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory, TimeProvider time)
    {
        var sub = argv.Count > 0 && argv[0] is "diff" or "reconcile" or "suspend" or "resume" ? argv[0] : null;
        var args = Args.Parse(sub is null ? argv : argv.Skip(1), Valued, new HashSet<string> { "help" }, out var error);
        var prefix = sub is null ? "relais gitops" : "relais gitops " + sub;
        error ??= (sub, args.Positional.Count) switch
        {
            (null, > 0) => $"unexpected argument `{args.Positional[0]}`",
            ("diff", > 1) => $"unexpected argument `{args.Positional[1]}`",
            ("reconcile" or "suspend" or "resume", 0) => "NAME is missing",
            ("reconcile" or "suspend" or "resume", > 1) => $"unexpected argument `{args.Positional[1]}`",
            _ => null,
        };
        if (error is null && !args.Flag("help") && sub is not ("suspend" or "resume") && args.Value("config") is null)
        {
            error = "--config DIR is needed";
        }

        if (error is null && (args.Value("coordinator") is null) != (args.Value("token-file") is null))
        {
            error = "--coordinator and --token-file go together";
        }

        if (error is not null || args.Flag("help"))
        {
            (error is null ? stdout : stderr).Write((error is null ? "" : $"{prefix}: {error}\n") + Usage);
            return error is null ? 0 : 2;
        }

        var state = Path.GetFullPath(args.Value("state") ?? ".relais-gitops", workingDirectory);
        GitOpsConfig? config = null;
        if (args.Value("config") is { } dir)
        {
            var secrets = args.Value("secrets") is { } s ? Path.GetFullPath(s, workingDirectory) : null;
            var loaded = GitOpsConfig.Load(Path.GetFullPath(dir, workingDirectory), secrets);
            if (loaded.Config is null)
            {
                foreach (var problem in loaded.Errors)
                {
                    await stderr.WriteLineAsync(problem.ToString());
                }

                await stderr.WriteLineAsync($"{prefix}: {loaded.Errors.Count} error(s) in the configuration");
                return 2;
            }

            config = loaded.Config;
        }

        if (sub is "suspend" or "resume")
        {
            return Mark(sub, args.Positional[0], config, new SuspendMarkers(state), stdout, stderr);
        }

        var log = new AgentLog(sub == "diff" ? stderr : stdout);
        using var reporter = GitOpsWiring.Reporter(args.Value("coordinator"), args.Value("token-file") is { } f ? Path.GetFullPath(f, workingDirectory) : null, state, log, out error);
        if (error is not null)
        {
            await stderr.WriteLineAsync($"{prefix}: {error}");
            return 2;
        }

        Directory.CreateDirectory(state);
        var parts = Parts(config!, state, time);
        using var disposeParts = GitOpsWiring.DisposablesOf(parts);
        using var agent = new GitOpsAgent(config!, parts, new GitOpsAgentOptions(state, time, log) { Reporter = reporter });
        return sub switch
        {
            "diff" => await GitOpsDiff.RunAsync(agent, config!, args.Positional.FirstOrDefault(), stdout, stderr),
            "reconcile" => await ReconcileAsync(agent, config!, args.Positional[0], stdout, stderr),
            _ => await RunAgentAsync(agent, stdout),
        };
    }

    private static int Mark(string sub, string name, GitOpsConfig? config, SuspendMarkers markers, TextWriter stdout, TextWriter stderr)
    {
        GitOpsResource? resource = null;
        if (config is not null && (resource = ResourceNames.Find(config, name, out var error)) is null)
        {
            stderr.WriteLine($"relais gitops {sub}: {error}");
            return 2;
        }

        var label = resource is null ? name : AgentLog.Label(resource);
        if (sub == "suspend")
        {
            markers.Suspend(resource is null ? name : ResourceNames.Canonical(resource));
            stdout.WriteLine($"relais gitops: {label}: suspended (from the agent's next interval)");
            return 0;
        }

        var resumed = resource is null ? markers.Resume(name) : markers.Resume(resource);
        stdout.WriteLine(resumed ? $"relais gitops: {label}: resumed" : $"relais gitops: {label}: was not suspended by a marker");
        if (resource is not null && markers.IsSuspended(resource))
        {
            stdout.WriteLine($"relais gitops: {label}: still suspended by another marker");
        }

        return 0;
    }

    private static async Task<int> ReconcileAsync(GitOpsAgent agent, GitOpsConfig config, string name, TextWriter stdout, TextWriter stderr)
    {
        if (ResourceNames.Find(config, name, out var error) is not { } resource)
        {
            await stderr.WriteLineAsync("relais gitops reconcile: " + error);
            return 2;
        }

        var outcome = await agent.ReconcileOnceAsync(resource, CancellationToken.None);
        await stdout.WriteLineAsync(outcome.Ready
            ? $"relais gitops: {AgentLog.Label(resource)}: reconciled"
            : $"relais gitops: {AgentLog.Label(resource)}: not healthy: {outcome.Message}");
        return outcome.Ready ? 0 : 1;
    }

    private static async Task<int> RunAgentAsync(GitOpsAgent agent, TextWriter stdout)
    {
        using var signals = new GracefulStop(stdout, "relais gitops: stopping; a running apply finishes (signal again to abort it)", "relais gitops: aborting the running apply");
        await agent.RunAsync(signals.Stop, signals.Abort);
        return 0;
    }
}
