using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;
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
        var missing = new NotBuilt();
        var swarm = new SwarmApplier(time);
        var compose = new ComposeApplier(time);
        var kubernetes = new KubernetesApplier(stateDirectory, time: time);
        return new GitOpsParts(missing, new RegistryImageScanner(secrets, time), missing, resource => resource switch
        {
            DockerDeployment { Kind: "SwarmStack" } => swarm,
            DockerDeployment { Kind: "ComposeProject" } => compose,
            Kustomization => kubernetes,
            _ => null,
        });
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
    public static IDisposable DisposablesOf(GitOpsParts parts) => new Disposer([parts.Sources, parts.Scanner, parts.Updater]);

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

    /// <summary>Stands for the parts other branches build until they are merged.</summary>
    private sealed class NotBuilt : IGitSource, IImageUpdater
    {
        public Task<SourceArtifact> FetchAsync(GitRepository repository, CancellationToken cancellationToken) =>
            throw new GitSourceException("git sources are not built yet");

        public Task<UpdateResult> UpdateAsync(ImageUpdateAutomation automation, GitRepository source, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("image updates are not built yet");
    }
}
