using Relais.GitOps.Appliers;
using Relais.GitOps.Appliers.Kubernetes;

namespace Relais.GitOps.Tests.Appliers.Kubernetes;

/// <summary>Reading kubectl diff's file names and hunks (pure logic).</summary>
public sealed class KubectlDiffReaderTests
{
    [Theory]
    [InlineData("apps/v1", "Deployment", "app", "web", "apps.v1.Deployment.app.web", true)]
    [InlineData("apps/v1", "Deployment", "app", "web", "apps.v1.Deployment.other.web", false)]
    [InlineData("apps/v1", "Deployment", null, "web", "apps.v1.Deployment.default.web", true)]
    [InlineData("v1", "Namespace", null, "app", "v1.Namespace..app", true)]
    [InlineData("v1", "ConfigMap", "app", "my.settings", "v1.ConfigMap.app.my.settings", true)]
    [InlineData("v1", "ConfigMap", "app", "settings", "v1.ConfigMap.app.my.settings", false)]
    [InlineData("networking.k8s.io/v1", "Ingress", "app", "web", "networking.k8s.io.v1.Ingress.app.web", true)]
    [InlineData("v1", "Service", "app", "web", "apps.v1.Deployment.app.web", false)]
    public void Kubectls_file_names_are_matched_to_objects(string apiVersion, string kind, string? ns, string name, string fileName, bool matches) =>
        Assert.Equal(matches, KubectlDiffReader.Names(new ObjectRef(apiVersion, kind, ns, name), fileName));

    [Fact]
    public void An_update_without_an_image_change_counts_its_lines_and_an_empty_diff_has_no_entries()
    {
        var rendered = new[] { new RenderedObject(new ObjectRef("v1", "ConfigMap", null, "settings"), "") };
        const string Diff = """
            diff -u -N /tmp/LIVE-1/v1.ConfigMap.default.settings /tmp/MERGED-2/v1.ConfigMap.default.settings
            --- /tmp/LIVE-1/v1.ConfigMap.default.settings	2026-12-08 00:40:00.000000000 +0000
            +++ /tmp/MERGED-2/v1.ConfigMap.default.settings	2026-12-08 00:40:00.000000000 +0000
            @@ -1,6 +1,7 @@
             apiVersion: v1
             data:
            -  MODE: staging
            +  MODE: production
            +  LEVEL: debug
             kind: ConfigMap
            """;

        Assert.Equal([new DiffEntry("ConfigMap settings", "update", "2 line(s) added, 1 removed")], KubectlDiffReader.Read(Diff, rendered));
        Assert.Empty(KubectlDiffReader.Read("", rendered));
    }
}
