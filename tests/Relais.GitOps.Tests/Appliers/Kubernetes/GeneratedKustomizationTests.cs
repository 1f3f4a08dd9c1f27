using Relais.GitOps.Appliers.Kubernetes;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>The kustomization generated for a folder without one, as Flux generates it.</summary>
public sealed class GeneratedKustomizationTests : IDisposable
{
    private readonly TempDirectory _dir = new("kube-generated");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_manifest_recursively_a_kustomized_subfolder_as_one_resource_and_no_file_that_is_not_an_object()
    {
        _dir.Write("app.yaml", "apiVersion: v1\nkind: Service\nmetadata: { name: web }\n---\n");
        _dir.Write("values.yaml", "replicaCount: 2\n");
        _dir.Write("notes.txt", "apiVersion: v1\nkind: ConfigMap\n");
        _dir.Write("broken.yaml", "apiVersion: v1\nkind: [ConfigMap\n");
        _dir.Write("deep/er/job.yml", "apiVersion: batch/v1\nkind: Job\nmetadata: { name: once }\n");
        _dir.Write("deep/config.json", """{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}""");
        _dir.Write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
        _dir.Write("base/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n");

        Assert.Equal(["app.yaml", "base", "broken.yaml", "deep/config.json", "deep/er/job.yml"], GeneratedKustomization.ResourcesOf(_dir.Path));
    }

    [KubectlFact]
    public async Task A_symbolic_link_in_the_source_is_not_followed_out_of_it()
    {
        using var outside = new TempDirectory("kube-outside");
        var secret = outside.Write("stolen.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: stolen }\ndata: { host: secret }\n");
        _dir.Write("kubernetes/service.yaml", Manifests.TutorialService);
        File.CreateSymbolicLink(_dir.Combine("kubernetes", "stolen.yaml"), secret);

        var objects = ManifestStream.Read(await new KustomizeRenderer().RenderAsync(_dir.Path, "kubernetes", "apps", "flux-system", null, CancellationToken.None));

        Assert.Equal(["Service web"], objects.Select(o => o.Ref.ToString()));
    }
}
