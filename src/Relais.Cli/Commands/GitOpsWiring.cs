using Relais.GitOps.Agent;
using Relais.GitOps.Appliers.Docker;
using Relais.GitOps.Appliers.Kubernetes;
using Relais.GitOps.Config;
using Relais.GitOps.Reporting;
using Relais.GitOps.Sources;
using Relais.GitOps.Updates;

namespace Relais.Cli.Commands;

/// <summary>Builds what <c>relais gitops</c> drives from a loaded configuration: the real sources, scanner, updater, appliers and reporter.</summary>
internal static class GitOpsWiring
{
    public static GitOpsParts Create(GitOpsConfig config, string stateDirectory, TimeProvider time)
    {
        var secrets = config.Secrets.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var tags = new RegistryTagSource(config.ImageRepositories, secrets, time);
        var swarm = new SwarmApplier(time);
        var compose = new ComposeApplier(time);
        var kubernetes = new KubernetesApplier(stateDirectory, time: time);
        return new GitOpsParts(
            new GitSource(stateDirectory, secrets, time),
            new RegistryImageScanner(secrets, time),
            new GitImageUpdater(stateDirectory, secrets, tags, time),
            resource => resource switch
            {
                DockerDeployment { Kind: "SwarmStack" } => swarm,
                DockerDeployment { Kind: "ComposeProject" } => compose,
                Kustomization => kubernetes,
                _ => null,
            })
        {
            Disposables = [tags],
        };
    }

    /// <summary>The reporter for <c>--coordinator URL --token-file FILE</c>, or null without them; <paramref name="error"/> when the URL or file is unusable.</summary>
    public static DeploymentReporter? Reporter(string? coordinator, string? tokenFile, string stateDirectory, AgentLog log, out string? error)
    {
        error = null;
        if (coordinator is null || tokenFile is null)
        {
            return null;
        }

        if (!Uri.TryCreate(coordinator, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            error = $"--coordinator {coordinator}: not an http(s) URL";
            return null;
        }

        if (!File.Exists(tokenFile) || File.ReadAllText(tokenFile).Trim() is not { Length: > 0 } token)
        {
            error = $"--token-file {tokenFile}: no such file, or empty";
            return null;
        }

        return new DeploymentReporter(url, token, stateDirectory, log);
    }

    /// <summary>Disposes the parts that hold resources (HTTP clients).</summary>
    public static IDisposable DisposablesOf(GitOpsParts parts) => new Disposer([parts.Sources, parts.Scanner, parts.Updater, .. parts.Disposables]);

    private sealed class Disposer(object[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts.OfType<IDisposable>())
            {
                part.Dispose();
            }
        }
    }
}
