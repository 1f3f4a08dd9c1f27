using Relais.GitOps.Appliers.Kubernetes;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>
/// The applier's commands run by the real kubectl against a cluster that is not there (a kubeconfig naming a closed
/// port): kubectl accepts every flag and fails only when it reaches for the server, and the message says so in one line.
/// </summary>
public sealed class RealKubectlTests : IDisposable
{
    private readonly TempDirectory _dir = new("kube-real");

    public void Dispose() => _dir.Dispose();

    [KubectlFact]
    public async Task Kubectl_accepts_every_command_line_and_fails_only_on_the_missing_cluster()
    {
        var kubectl = new Kubectl(environment: new Dictionary<string, string?> { ["KUBECONFIG"] = _dir.Write("kubeconfig", """
            apiVersion: v1
            kind: Config
            clusters: [{ name: none, cluster: { server: "https://127.0.0.1:1" } }]
            users: [{ name: agent, user: { token: unused } }]
            contexts: [{ name: none, context: { cluster: none, user: agent } }]
            current-context: none
            """) });
        const string Stream = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: app\n";
        var web = new ObjectRef("apps/v1", "Deployment", "app", "web");

        var results = new[]
        {
            await kubectl.ApplyAsync(Stream, CancellationToken.None),
            await kubectl.DiffAsync(Stream, CancellationToken.None),
            await kubectl.GetLabelledAsync(web.ResourceType, "apps", "flux-system", CancellationToken.None),
            await kubectl.DeleteAsync(web, CancellationToken.None),
            await kubectl.RolloutStatusAsync(web, TimeSpan.FromSeconds(5), CancellationToken.None),
        };

        Assert.All(results, result =>
        {
            Assert.NotEqual(0, result.ExitCode);
            var message = Kubectl.MessageOf(result);
            Assert.Contains("127.0.0.1:1", message, StringComparison.Ordinal);
            Assert.DoesNotContain("unknown", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("memcache.go", message, StringComparison.Ordinal);
        });
        Assert.Equal(2, results[1].ExitCode);
    }
}
