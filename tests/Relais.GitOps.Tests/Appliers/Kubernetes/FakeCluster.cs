using System.Text.Json.Nodes;
using Relais.GitOps.Appliers.Kubernetes;
using Relais.GitOps.Tools;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>
/// Answers kubectl's cluster commands in the place of a cluster (none can run here): records every command and answers
/// each verb (<c>apply</c>, <c>diff</c>, <c>get</c>, <c>delete</c>, <c>rollout</c>) as the test says, by default as a
/// cluster where everything applies, nothing differs, nothing is labelled yet and every rollout completes.
/// </summary>
internal sealed class FakeCluster
{
    public List<CliCommand> Commands { get; } = [];

    /// <summary>The answers by verb (the first argument); a missing verb answers success with no output.</summary>
    public Dictionary<string, Func<CliCommand, CliResult>> Answers { get; } = new()
    {
        ["apply"] = _ => new CliResult(0, "deployment.apps/web serverside-applied\n", ""),
        ["diff"] = _ => new CliResult(0, "", ""),
        ["get"] = _ => new CliResult(0, """{"apiVersion":"v1","items":[],"kind":"List","metadata":{"resourceVersion":""}}""", ""),
        ["rollout"] = command => new CliResult(0, $"{command.Arguments[2]} successfully rolled out\n", ""),
    };

    /// <summary>Runs when a command is answered (e.g. to advance a fake clock: the time kubectl took).</summary>
    public Action<CliCommand>? OnCommand { get; set; }

    /// <summary>The commands as typed, each without its standard input.</summary>
    public IEnumerable<string> Lines => Commands.Select(c => c.ToString());

    public Kubectl Kubectl => new(RunAsync);

    public static string List(params string[] items) => $$"""{"apiVersion":"v1","items":[{{string.Join(",", items)}}],"kind":"List"}""";

    public static string Item(string apiVersion, string kind, string? ns, string name, string? annotations = null)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["kustomize.toolkit.fluxcd.io/name"] = "apps", ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system" },
        };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = JsonNode.Parse(annotations);
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata }.ToJsonString();
    }

    private Task<CliResult> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        Assert.Equal("kubectl", command.Program);
        Commands.Add(command);
        OnCommand?.Invoke(command);
        return Task.FromResult(Answers.TryGetValue(command.Arguments[0], out var answer) ? answer(command) : new CliResult(0, "", ""));
    }
}
