using k8s;
using k8s.Models;
using Relais.GitOps.Appliers.Kubernetes;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>
/// Rendering for real with <c>kubectl kustomize</c> (offline), reading the stream into objects and checking them strictly
/// against the KubernetesClient models.
/// </summary>
public sealed class KustomizeRenderTests : IDisposable
{
    private readonly TempDirectory _source = new("kube-source");
    private readonly TempDirectory _state = new("kube-state");

    public void Dispose()
    {
        _source.Dispose();
        _state.Dispose();
    }

    [KubectlFact]
    public async Task A_folder_without_a_kustomization_renders_every_manifest_under_it_as_Flux_does()
    {
        Manifests.WriteTutorial(_source);
        var kustomization = Manifests.KustomizationFor("./kubernetes");

        var objects = await Applier().RenderAsync(Manifests.Request(_source, kustomization), CancellationToken.None);

        Assert.Equal(["ConfigMap app/settings", "Service app/web", "Deployment app/web"], objects.Select(o => o.Ref.ToString()));
        Assert.All(objects, o =>
        {
            Assert.Contains("kustomize.toolkit.fluxcd.io/name: apps\n", o.Yaml, StringComparison.Ordinal);
            Assert.Contains("kustomize.toolkit.fluxcd.io/namespace: flux-system\n", o.Yaml, StringComparison.Ordinal);
        });
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(objects[2].Yaml, strict: true);
        Assert.Equal("true", deployment.Metadata.Annotations["flux.weave.works/automated"]);
        Assert.Equal("regexp:^((?!tmp).)*$", deployment.Metadata.Annotations["flux.weave.works/tag.web"]);
        Assert.Equal("registry.example.com/group/app:1.0.0", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("100m", deployment.Spec.Template.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal("apps", deployment.Metadata.Labels["kustomize.toolkit.fluxcd.io/name"]);
        Assert.False(deployment.Spec.Template.Metadata.Labels.ContainsKey("kustomize.toolkit.fluxcd.io/name"));
        Assert.Equal("8080", KubernetesYaml.Deserialize<V1Service>(objects[1].Yaml, strict: true).Spec.Ports[0].TargetPort.Value);
        Assert.Equal(["README.md", "kubernetes/deployment.yaml", "kubernetes/extra/settings.yml", "kubernetes/service.yaml", "kubernetes/values.yaml"],
            Directory.EnumerateFiles(_source.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_source.Path, f)).Order(StringComparer.Ordinal));
    }

    [KubectlFact]
    public async Task A_kustomize_folder_renders_with_its_name_prefix_common_labels_and_generated_config_map()
    {
        Manifests.WriteOverlay(_source);
        _source.Write("overlay/deployment.yaml", Manifests.TutorialDeployment.Replace("""
                      ports:
            """, """
                      envFrom:
                        - configMapRef:
                            name: settings
                      ports:
            """, StringComparison.Ordinal));
        var kustomization = Manifests.KustomizationFor("overlay", targetNamespace: null);

        var objects = await Applier().RenderAsync(Manifests.Request(_source, kustomization), CancellationToken.None);

        var configMap = Assert.Single(objects, o => o.Ref.Kind == "ConfigMap");
        Assert.StartsWith("shop-settings-", configMap.Ref.Name, StringComparison.Ordinal);
        Assert.Null(configMap.Ref.Namespace);
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(Assert.Single(objects, o => o.Ref.Kind == "Deployment").Yaml, strict: true);
        Assert.Equal("shop-web", deployment.Metadata.Name);
        Assert.Equal("shop", deployment.Metadata.Labels["app.kubernetes.io/part-of"]);
        Assert.Equal("shop", deployment.Spec.Selector.MatchLabels["app.kubernetes.io/part-of"]);
        Assert.Equal(configMap.Ref.Name, deployment.Spec.Template.Spec.Containers[0].EnvFrom[0].ConfigMapRef.Name);
        Assert.All(objects, o => Assert.Contains("kustomize.toolkit.fluxcd.io/name: apps\n", o.Yaml, StringComparison.Ordinal));
        Assert.Empty(StrictModelValidator.Validate(objects));
    }

    [KubectlFact]
    public async Task The_target_namespace_goes_to_namespaced_objects_only_overriding_their_own_as_Flux_does()
    {
        _source.Write("k8s/all.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: app
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: elsewhere
              namespace: other
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: reader
            rules: []
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: gadget
            spec:
              size: 3
            """);
        var kustomization = Manifests.KustomizationFor("./k8s/", targetNamespace: "app");

        var objects = await Applier().RenderAsync(Manifests.Request(_source, kustomization), CancellationToken.None);

        Assert.Equal(["Namespace app", "ClusterRole reader", "ConfigMap app/elsewhere", "Widget app/gadget"], objects.Select(o => o.Ref.ToString()));
        Assert.Equal([true, false, false, false], objects.Select(o => o.IsClusterDefinition));
    }

    [KubectlFact]
    public async Task An_unknown_field_and_a_wrong_type_are_errors_naming_the_object_and_nothing_is_applied()
    {
        Manifests.WriteTutorial(_source, Manifests.TutorialDeployment
            .Replace("replicas: 2", "replica: 2", StringComparison.Ordinal)
            .Replace("- containerPort: 8080", "- containerPort: http-port", StringComparison.Ordinal));
        _source.Write("kubernetes/service.yaml", Manifests.TutorialService.Replace("  selector:", "  selectr:", StringComparison.Ordinal));
        var kustomization = Manifests.KustomizationFor("./kubernetes");
        var cluster = new FakeCluster();

        var result = await new KubernetesApplier(_state.Path, cluster.Kubectl).ApplyAsync(Manifests.Request(_source, kustomization), CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Empty(result.Changed);
        Assert.Empty(cluster.Commands);
        Assert.StartsWith($"./kubernetes at main@sha1:{new string('a', 40)} is not valid: ", result.Message, StringComparison.Ordinal);
        Assert.Contains("Service app/web: unknown field \"spec.selectr\"", result.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment app/web: unknown field \"spec.replica\"", result.Message, StringComparison.Ordinal);

        Manifests.WriteTutorial(_source, Manifests.TutorialDeployment.Replace("- containerPort: 8080", "- containerPort: http-port", StringComparison.Ordinal));
        var objects = ManifestStream.Read(await new KustomizeRenderer().RenderAsync(_source.Path, "kubernetes", "apps", "flux-system", "app", CancellationToken.None));
        var error = StrictModelValidator.Validate(objects.Single(o => o.Ref.Kind == "Deployment"));
        Assert.Equal("Deployment app/web: spec.template.spec.containers[0].ports[0].containerPort: wrong type (The input string 'http-port' was not in a correct format.)", error);
    }

    [Fact]
    public void Nested_unknown_fields_are_named_by_their_path_and_custom_resources_pass_unchecked()
    {
        var objects = ManifestStream.Read("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: app
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: sidecar
                      image: busybox
                    - name: web
                      image: registry.example.com/group/app:1.0.0
                      imagePullPolicyy: Always
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: gadget
            spec:
              anything: [goes]
            """);

        Assert.Equal(["Deployment app/web: unknown field \"spec.template.spec.containers[1].imagePullPolicyy\""], StrictModelValidator.Validate(objects));
    }

    [KubectlFact]
    public async Task A_path_out_of_the_source_or_missing_and_a_kustomize_error_are_errors()
    {
        Manifests.WriteOverlay(_source);
        _source.Write("overlay/kustomization.yaml", Manifests.Kustomization.Replace("- service.yaml", "- missing.yaml", StringComparison.Ordinal));
        var renderer = new KustomizeRenderer();

        var outside = await Assert.ThrowsAsync<KubernetesApplyException>(() => renderer.RenderAsync(_source.Path, "../elsewhere", "apps", "flux-system", null, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<KubernetesApplyException>(() => renderer.RenderAsync(_source.Path, "./nothing", "apps", "flux-system", null, CancellationToken.None));
        var broken = await Assert.ThrowsAsync<KubernetesApplyException>(() => renderer.RenderAsync(_source.Path, "overlay", "apps", "flux-system", null, CancellationToken.None));

        Assert.Equal("spec.path \"../elsewhere\" leads out of the source", outside.Message);
        Assert.Equal("spec.path \"./nothing\" is not a folder of the source", missing.Message);
        Assert.StartsWith("kustomize build of \"overlay\" failed: ", broken.Message, StringComparison.Ordinal);
        Assert.Contains("missing.yaml", broken.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("relais-kustomize-", broken.Message, StringComparison.Ordinal);
    }

    private KubernetesApplier Applier() => new(_state.Path, new FakeCluster().Kubectl);
}
