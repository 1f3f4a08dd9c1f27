using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.Pipelines.Yaml;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>
/// The manifests the tests render: small equivalents of the Flux v1 tutorial's (a Deployment annotated for automation
/// and its Service, in a folder without a kustomization) and a kustomize folder (namePrefix, commonLabels, a
/// configMapGenerator).
/// </summary>
internal static class Manifests
{
    public const string TutorialDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            flux.weave.works/automated: "true"
            flux.weave.works/tag.web: regexp:^((?!tmp).)*$
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: registry.example.com/group/app:1.0.0
                  ports:
                    - containerPort: 8080
                  resources:
                    limits:
                      cpu: 100m
                      memory: 64Mi
        """;

    public const string TutorialService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
            - port: 80
              targetPort: 8080
        """;

    public const string Kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - deployment.yaml
          - service.yaml
        namePrefix: shop-
        commonLabels:
          app.kubernetes.io/part-of: shop
        configMapGenerator:
          - name: settings
            literals:
              - MODE=production
        """;

    /// <summary>The tutorial's folder: <c>kubernetes/</c> with the Deployment, the Service, a values file that is no object, and a ConfigMap one folder down.</summary>
    public static void WriteTutorial(TempDirectory source, string deployment = TutorialDeployment)
    {
        source.Write("kubernetes/deployment.yaml", deployment);
        source.Write("kubernetes/service.yaml", TutorialService);
        source.Write("kubernetes/values.yaml", "replicaCount: 2\nimage: registry.example.com/group/app\n");
        source.Write("kubernetes/extra/settings.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  MODE: production\n");
        source.Write("README.md", "# app\n");
    }

    /// <summary>The kustomize folder <c>overlay/</c>.</summary>
    public static void WriteOverlay(TempDirectory source)
    {
        source.Write("overlay/kustomization.yaml", Kustomization);
        source.Write("overlay/deployment.yaml", TutorialDeployment);
        source.Write("overlay/service.yaml", TutorialService);
    }

    public static Kustomization KustomizationFor(string path, string? targetNamespace = "app", bool prune = true) =>
        new("apps", "flux-system", new SourceLocation("kustomization.yaml", 1, 1), new ResourceRef("GitRepository", "app", "flux-system", default),
            path, prune, TimeSpan.FromMinutes(1), targetNamespace, Suspend: false);

    public static ApplyRequest Request(TempDirectory source, Kustomization kustomization, TimeSpan? timeout = null) =>
        new(kustomization, new SourceArtifact("flux-system/app", source.Path, new string('a', 40), "main@sha1:" + new string('a', 40), "main"),
            timeout ?? TimeSpan.FromSeconds(60));
}
