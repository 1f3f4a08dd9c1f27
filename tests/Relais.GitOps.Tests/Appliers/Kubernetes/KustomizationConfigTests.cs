using Relais.GitOps.Config;
using Relais.GitOps.Tests.Config;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>What the configuration reader says of a Kustomization's fields the Kubernetes applier does not act on.</summary>
public sealed class KustomizationConfigTests
{
    [Fact]
    public void A_kube_config_secret_ref_is_refused_the_agents_own_kubeconfig_is_used()
    {
        using var folder = new ConfigFolder().Write("apps.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app }
            spec: { url: https://gitlab.example.com/group/app.git, interval: 1m, ref: { branch: main } }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: { name: apps }
            spec:
              sourceRef: { kind: GitRepository, name: app }
              path: ./kubernetes
              prune: true
              interval: 5m
              kubeConfig:
                secretRef:
                  name: remote-cluster
            """);

        var errors = GitOpsConfig.Load(folder.Dir, null).Errors.Select(e => e.ToString());

        Assert.Equal(["apps.yaml:14:3: spec.kubeConfig: Flux's field is not supported by relais gitops"], errors);
    }
}
