using Microsoft.Extensions.Time.Testing;
using Relais.GitOps.Appliers.Kubernetes;
using Relais.GitOps.Tools;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>
/// The applier's kubectl commands against a <see cref="FakeCluster"/> (no cluster can run here; the manifests are
/// rendered for real): staged server-side apply, pruning by the inventory labels, rollout health within the timeout, diff.
/// </summary>
public sealed class KubernetesApplierTests : IDisposable
{
    private const string Labels = "kustomize.toolkit.fluxcd.io/name=apps,kustomize.toolkit.fluxcd.io/namespace=flux-system";

    private readonly TempDirectory _source = new("kube-source");
    private readonly TempDirectory _state = new("kube-state");
    private readonly FakeCluster _cluster = new();

    public void Dispose()
    {
        _source.Dispose();
        _state.Dispose();
    }

    [KubectlFact]
    public async Task Apply_diffs_and_applies_server_side_namespaces_first_then_waits_for_the_rollouts()
    {
        Manifests.WriteTutorial(_source);
        _source.Write("kubernetes/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n");
        _cluster.Answers["diff"] = command => command.Input!.Contains("kind: Deployment", StringComparison.Ordinal)
            ? new CliResult(1, DeploymentImageDiff("1.0.0", "1.1.0"), "") : new CliResult(0, "", "");

        var result = await Applier().ApplyAsync(Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes")), CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.Equal(["Deployment app/web"], result.Changed);
        Assert.Equal($"applied 4 object(s) of flux-system/apps at main@sha1:{new string('a', 40)}: 1 changed", result.Message);
        Assert.Equal([
            "kubectl diff --server-side --field-manager=relais-gitops --force-conflicts -f -",
            "kubectl apply --server-side --field-manager=relais-gitops --force-conflicts -f -",
            "kubectl diff --server-side --field-manager=relais-gitops --force-conflicts -f -",
            "kubectl apply --server-side --field-manager=relais-gitops --force-conflicts -f -",
            $"kubectl get configmap --all-namespaces -l {Labels} -o json",
            $"kubectl get deployment.v1.apps --all-namespaces -l {Labels} -o json",
            $"kubectl get namespace --all-namespaces -l {Labels} -o json",
            $"kubectl get service --all-namespaces -l {Labels} -o json",
            "kubectl rollout status deployment/web -n app --timeout=60s",
        ], _cluster.Lines);
        var applies = _cluster.Commands.Where(c => c.Arguments[0] == "apply").Select(c => ManifestStream.Read(c.Input!).Select(o => o.Ref.ToString())).ToList();
        Assert.Equal(["Namespace app"], applies[0]);
        Assert.Equal(["ConfigMap app/settings", "Service app/web", "Deployment app/web"], applies[1]);
        Assert.Null(_cluster.Commands.Single(c => c.Arguments[0] == "diff" && c.Input!.Contains("Deployment", StringComparison.Ordinal)).Environment["KUBECTL_EXTERNAL_DIFF"]);
    }

    [KubectlFact]
    public async Task Pruning_deletes_labelled_objects_no_longer_rendered_even_of_a_kind_gone_from_the_files()
    {
        Manifests.WriteTutorial(_source);
        _source.Write("kubernetes/nightly.yaml", """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nightly
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{ name: job, image: busybox }]
            """);
        var request = Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes"));
        Assert.True((await Applier().ApplyAsync(request, CancellationToken.None)).Healthy);
        Assert.Contains($"kubectl get cronjob.v1.batch --all-namespaces -l {Labels} -o json", _cluster.Lines);

        File.Delete(_source.Combine("kubernetes", "nightly.yaml"));
        _cluster.Commands.Clear();
        _cluster.Answers["get"] = command => new CliResult(0, command.Arguments[1] switch
        {
            "cronjob.v1.batch" => FakeCluster.List(FakeCluster.Item("batch/v1", "CronJob", "app", "nightly")),
            "deployment.v1.apps" => FakeCluster.List(
                FakeCluster.Item("apps/v1", "Deployment", "app", "web"),
                FakeCluster.Item("apps/v1", "Deployment", "app", "old-web"),
                FakeCluster.Item("apps/v1", "Deployment", "app", "kept", """{"kustomize.toolkit.fluxcd.io/prune":"disabled"}""")),
            _ => FakeCluster.List(),
        }, "");

        var result = await Applier().ApplyAsync(request, CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.Equal(["CronJob app/nightly", "Deployment app/old-web"], result.Changed);
        Assert.Equal([
            "kubectl delete cronjob.v1.batch nightly -n app --ignore-not-found",
            "kubectl delete deployment.v1.apps old-web -n app --ignore-not-found",
        ], _cluster.Lines.Where(l => l.StartsWith("kubectl delete", StringComparison.Ordinal)));
        Assert.Contains($"kubectl get cronjob.v1.batch --all-namespaces -l {Labels} -o json", _cluster.Lines);
        Assert.DoesNotContain("CronJob", File.ReadAllText(new InventoryFile(_state.Path, "apps", "flux-system").Path), StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Without_prune_nothing_is_listed_or_deleted()
    {
        Manifests.WriteTutorial(_source);

        var result = await Applier().ApplyAsync(Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes", prune: false)), CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.DoesNotContain(_cluster.Commands, c => c.Arguments[0] is "get" or "delete");
    }

    [KubectlFact]
    public async Task A_rollout_that_does_not_complete_is_unhealthy_and_nothing_is_rolled_back()
    {
        Manifests.WriteTutorial(_source);
        _cluster.Answers["rollout"] = _ => new CliResult(1, "Waiting for deployment \"web\" rollout to finish: 1 of 2 updated replicas are available...\n",
            "error: deployment \"web\" exceeded its progress deadline\n");

        var result = await Applier().ApplyAsync(Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes")), CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.False(result.RolledBack);
        Assert.Equal("Deployment app/web: rollout did not complete: error: deployment \"web\" exceeded its progress deadline", result.Message);
        Assert.Equal("kubectl rollout status deployment/web -n app --timeout=60s", _cluster.Lines.Last());
        Assert.Equal(2, _cluster.Commands.Count(c => c.Arguments[0] is "diff" or "apply"));
    }

    [KubectlFact]
    public async Task The_rollouts_wait_only_for_what_is_left_of_the_timeout()
    {
        Manifests.WriteTutorial(_source);
        var time = new FakeTimeProvider();
        _cluster.OnCommand = command => time.Advance(command.Arguments[0] == "apply" ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(2.5));

        var result = await new KubernetesApplier(_state.Path, _cluster.Kubectl, time)
            .ApplyAsync(Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes"), TimeSpan.FromMinutes(1)), CancellationToken.None);

        Assert.True(result.Healthy, result.Message);
        Assert.Equal("kubectl rollout status deployment/web -n app --timeout=30s", _cluster.Lines.Last());
    }

    [KubectlFact]
    public async Task A_failed_apply_or_diff_is_unhealthy_with_kubectls_message()
    {
        Manifests.WriteTutorial(_source);
        var request = Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes"));
        _cluster.Answers["apply"] = _ => new CliResult(1, "", "error: You must be logged in to the server (Unauthorized)\n");

        var applyFailed = await Applier().ApplyAsync(request, CancellationToken.None);
        _cluster.Answers["diff"] = _ => new CliResult(2, "", "The connection to the server localhost:8080 was refused\n");
        var diffFailed = await Applier().ApplyAsync(request, CancellationToken.None);

        Assert.Equal((false, "kubectl apply failed: error: You must be logged in to the server (Unauthorized)"), (applyFailed.Healthy, applyFailed.Message));
        Assert.Equal((false, "kubectl diff failed: The connection to the server localhost:8080 was refused"), (diffFailed.Healthy, diffFailed.Message));
        Assert.DoesNotContain(_cluster.Commands, c => c.Arguments[0] is "rollout" or "get");
        Assert.False(File.Exists(new InventoryFile(_state.Path, "apps", "flux-system").Path));
    }

    [KubectlFact]
    public async Task Diff_answers_kubectls_changes_and_the_prunes_without_changing_anything()
    {
        Manifests.WriteTutorial(_source);
        _cluster.Answers["diff"] = _ => new CliResult(1, DeploymentImageDiff("1.0.0", "1.1.0") + NewServiceDiff, "");
        _cluster.Answers["get"] = command => new CliResult(0, command.Arguments[1] == "configmap"
            ? FakeCluster.List(FakeCluster.Item("v1", "ConfigMap", "app", "settings"), FakeCluster.Item("v1", "ConfigMap", "app", "legacy"))
            : FakeCluster.List(), "");

        var entries = await Applier().DiffAsync(Manifests.Request(_source, Manifests.KustomizationFor("./kubernetes")), CancellationToken.None);

        Assert.Equal([
            new("Deployment app/web", "update", "image registry.example.com/group/app:1.0.0 → registry.example.com/group/app:1.1.0"),
            new("Service app/web", "create", null),
            new("ConfigMap app/legacy", "delete", "no longer in the source"),
        ], entries);
        Assert.DoesNotContain(_cluster.Commands, c => c.Arguments[0] is "apply" or "delete" or "rollout");
        Assert.False(File.Exists(new InventoryFile(_state.Path, "apps", "flux-system").Path));
    }

    internal static string DeploymentImageDiff(string from, string to) => $"""
        diff -u -N /tmp/LIVE-2240781713/apps.v1.Deployment.app.web /tmp/MERGED-1093360911/apps.v1.Deployment.app.web
        --- /tmp/LIVE-2240781713/apps.v1.Deployment.app.web	2026-12-08 00:40:00.000000000 +0000
        +++ /tmp/MERGED-1093360911/apps.v1.Deployment.app.web	2026-12-08 00:40:00.000000000 +0000
        @@ -6,7 +6,7 @@
             kustomize.toolkit.fluxcd.io/name: apps
        -  generation: 3
        +  generation: 4
           name: web
        @@ -30,7 +30,7 @@
               containers:
        -      - image: registry.example.com/group/app:{from}
        +      - image: registry.example.com/group/app:{to}
                 imagePullPolicy: IfNotPresent

        """;

    private const string NewServiceDiff = """
        diff -u -N /tmp/LIVE-2240781713/v1.Service.app.web /tmp/MERGED-1093360911/v1.Service.app.web
        --- /tmp/LIVE-2240781713/v1.Service.app.web	1970-01-01 00:00:00.000000000 +0000
        +++ /tmp/MERGED-1093360911/v1.Service.app.web	2026-12-08 00:40:00.000000000 +0000
        @@ -0,0 +1,4 @@
        +apiVersion: v1
        +kind: Service
        +metadata:
        +  name: web

        """;

    private KubernetesApplier Applier() => new(_state.Path, _cluster.Kubectl);
}
