using System.Globalization;
using System.Text.RegularExpressions;
using Relais.GitOps.Tools;

namespace Relais.GitOps.Appliers.Kubernetes;

/// <summary>
/// The kubectl commands the applier runs against the cluster, and the runner they go through: a seam, since no cluster
/// runs here and the tests answer in its place. kubectl finds the cluster as it always does: <c>KUBECONFIG</c>,
/// <c>~/.kube/config</c>, or the in-cluster service account, from the agent's environment (plus
/// <paramref name="environment"/>).
/// </summary>
/// <param name="run">Runs a command; by default <see cref="CliCommand.RunAsync"/>.</param>
/// <param name="program">The program: <c>kubectl</c>, or a path.</param>
/// <param name="environment">Variables added to every cluster command's environment (e.g. <c>KUBECONFIG</c>).</param>
public sealed partial class Kubectl(Func<CliCommand, CancellationToken, Task<CliResult>>? run = null, string program = "kubectl",
    IReadOnlyDictionary<string, string?>? environment = null)
{
    /// <summary>The field manager of every server-side apply (the owner of the fields the agent sets).</summary>
    public const string FieldManager = "relais-gitops";

    private readonly Func<CliCommand, CancellationToken, Task<CliResult>> _run = run ?? ((command, token) => command.RunAsync(token));

    /// <summary>The program the commands start: <c>kubectl</c>, or a path.</summary>
    public string Program => program;

    /// <summary>Server-side apply of the stream on standard input, taking over fields another manager changed (drift).</summary>
    public Task<CliResult> ApplyAsync(string stream, CancellationToken cancellationToken) =>
        RunAsync(["apply", "--server-side", $"--field-manager={FieldManager}", "--force-conflicts", "-f", "-"], stream, cancellationToken);

    /// <summary>What a server-side apply of the stream would change: exit code 0 = nothing, 1 = differences, more = error.</summary>
    public Task<CliResult> DiffAsync(string stream, CancellationToken cancellationToken) =>
        RunAsync(["diff", "--server-side", $"--field-manager={FieldManager}", "--force-conflicts", "-f", "-"], stream, cancellationToken,
            new Dictionary<string, string?> { ["KUBECTL_EXTERNAL_DIFF"] = null });

    /// <summary>The objects of one type that carry a Kustomization's inventory labels, in every namespace, as JSON.</summary>
    public Task<CliResult> GetLabelledAsync(string resourceType, string name, string ns, CancellationToken cancellationToken) =>
        RunAsync(["get", resourceType, "--all-namespaces", "-l", $"{KustomizeRenderer.NameLabel}={name},{KustomizeRenderer.NamespaceLabel}={ns}", "-o", "json"],
            null, cancellationToken);

    /// <summary>Deletes one object (gone already is fine).</summary>
    public Task<CliResult> DeleteAsync(ObjectRef target, CancellationToken cancellationToken) =>
        RunAsync(["delete", target.ResourceType, target.Name, .. NamespaceArguments(target), "--ignore-not-found"], null, cancellationToken);

    /// <summary>Waits for a workload's rollout to complete, at most <paramref name="timeout"/> (whole seconds, at least one).</summary>
    public Task<CliResult> RolloutStatusAsync(ObjectRef workload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        return RunAsync(["rollout", "status", $"{workload.Kind.ToLowerInvariant()}/{workload.Name}", .. NamespaceArguments(workload),
            $"--timeout={seconds.ToString(CultureInfo.InvariantCulture)}s"], null, cancellationToken);
    }

    private static string[] NamespaceArguments(ObjectRef target) => target.Namespace is null ? [] : ["-n", target.Namespace];

    /// <summary>What to tell a person of a failed command: kubectl's error lines, without client-go's log lines (<c>E1208 00:42:22.1 …</c>).</summary>
    public static string MessageOf(CliResult result)
    {
        var lines = result.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var errors = lines.Where(line => !KlogLine().IsMatch(line)).ToList();
        return string.Join(" ", errors.Count > 0 ? errors : lines);
    }

    [GeneratedRegex(@"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}")]
    private static partial Regex KlogLine();

    private Task<CliResult> RunAsync(string[] arguments, string? input, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? variables = null)
    {
        var all = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>());
        foreach (var (name, value) in variables ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        return _run(new CliCommand(program, arguments) { Input = input, Environment = all }, cancellationToken);
    }
}
