using Relais.GitOps.Agent;
using Relais.GitOps.Config;

namespace Relais.Cli.Commands;

/// <summary><c>relais gitops diff [NAME]</c>: what each applied resource (or NAME) would change, printed; exit 0 none, 1 changes, 3 could not tell.</summary>
internal static class GitOpsDiff
{
    public static async Task<int> RunAsync(GitOpsAgent agent, GitOpsConfig config, string? name, TextWriter stdout, TextWriter stderr)
    {
        IEnumerable<GitOpsResource> targets = config.DockerDeployments.Cast<GitOpsResource>().Concat(config.Kustomizations);
        if (name is not null)
        {
            if (ResourceNames.Find(config, name, out var error) is not { } resource)
            {
                await stderr.WriteLineAsync("relais gitops diff: " + error);
                return 2;
            }

            if (resource is not (DockerDeployment or Kustomization))
            {
                await stderr.WriteLineAsync($"relais gitops diff: {AgentLog.Label(resource)} is not applied (diff takes a SwarmStack, ComposeProject or Kustomization)");
                return 2;
            }

            targets = [resource];
        }

        var changes = false;
        var failed = false;
        foreach (var target in targets)
        {
            try
            {
                var entries = await agent.DiffAsync(target, CancellationToken.None);
                await stdout.WriteLineAsync($"{AgentLog.Label(target)}: {(entries.Count == 0 ? "no changes" : $"{entries.Count} change(s)")}");
                foreach (var entry in entries)
                {
                    await stdout.WriteLineAsync($"  {entry.Change} {entry.Object}{(entry.Detail is null ? "" : ": " + entry.Detail)}");
                }

                changes |= entries.Count > 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await stderr.WriteLineAsync($"relais gitops diff: {AgentLog.Label(target)}: {e.Message}");
                failed = true;
            }
        }

        return failed ? 3 : changes ? 1 : 0;
    }
}
