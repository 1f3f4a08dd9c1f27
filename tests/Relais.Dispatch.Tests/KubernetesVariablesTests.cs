using Relais.Pipelines.Context;

namespace Relais.Dispatch.Tests;

/// <summary>GitLab's deployment variables of a cluster setting: where they sit, what wins over them, the default namespace and the kubeconfig.</summary>
public sealed class KubernetesVariablesTests
{
    private static readonly JobKubernetes Cluster = new("https://k8s.example.com", "kube-token-123", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----", "app-5-production", "apps.example.com");

    [Fact]
    public void A_job_with_an_environment_gets_the_variables_in_GitLabs_order_after_the_predefined_and_before_the_YAML_ones()
    {
        var job = PayloadTestSupport.Payload("variables: { A: 1 }\ndeploy:\n  script: x\n  environment: production\n", "deploy", adjust: d => d with { Kubernetes = Cluster });
        var keys = job.Variables.Select(v => v.Key).ToList();
        string[] expected = ["KUBE_URL", "KUBE_CA_PEM", "KUBE_CA_PEM_FILE", "KUBE_TOKEN", "KUBE_NAMESPACE", "KUBECONFIG", "KUBE_INGRESS_BASE_DOMAIN"];
        Assert.Equal(expected, keys.Where(k => k.StartsWith("KUBE", StringComparison.Ordinal)));
        Assert.True(keys.IndexOf("CI_API_V4_URL") < keys.IndexOf("KUBE_URL") && keys.IndexOf("KUBE_INGRESS_BASE_DOMAIN") < keys.IndexOf("A"));
        var token = job.Variables.Single(v => v.Key == "KUBE_TOKEN");
        Assert.True(token.Masked && !token.Public);
        Assert.True(job.Variables.Single(v => v.Key == "KUBE_CA_PEM_FILE").File);
        Assert.True(job.Variables.Single(v => v.Key == "KUBECONFIG").File);
        Assert.False(job.Variables.Single(v => v.Key == "KUBE_CA_PEM").File);
        Assert.Equal("app-5-production", job.Var("KUBE_NAMESPACE"));
        Assert.Equal("apps.example.com", job.Var("KUBE_INGRESS_BASE_DOMAIN"));
    }

    [Fact]
    public void The_environments_kubernetes_namespace_wins_and_a_project_KUBECONFIG_variable_replaces_the_generated_one()
    {
        var context = PayloadTestSupport.Push() with { Variables = [new ContextVariable("KUBECONFIG", "mine", File: true, EnvironmentScope: "production")] };
        var job = PayloadTestSupport.Payload(
            "deploy:\n  script: x\n  environment: { name: production, kubernetes: { namespace: shop-$CI_COMMIT_REF_NAME } }\n", "deploy", context, d => d with { Kubernetes = Cluster });
        Assert.Equal("shop-main", job.Var("KUBE_NAMESPACE"));
        Assert.Equal("mine", job.Var("KUBECONFIG"));
    }

    [Fact]
    public void A_job_without_an_environment_or_without_a_cluster_gets_none()
    {
        var build = PayloadTestSupport.Payload("build:\n  script: x\n", "build", adjust: d => d with { Kubernetes = Cluster });
        var deploy = PayloadTestSupport.Payload("deploy:\n  script: x\n  environment: production\n", "deploy");
        Assert.DoesNotContain(build.Variables, v => v.Key.StartsWith("KUBE", StringComparison.Ordinal));
        Assert.DoesNotContain(deploy.Variables, v => v.Key.StartsWith("KUBE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cluster_without_CA_or_base_domain_leaves_those_out()
    {
        var job = PayloadTestSupport.Payload("deploy:\n  script: x\n  environment: production\n", "deploy", adjust: d => d with { Kubernetes = Cluster with { CaPem = null, BaseDomain = null } });
        Assert.Equal(["KUBE_URL", "KUBE_TOKEN", "KUBE_NAMESPACE", "KUBECONFIG"], job.Variables.Select(v => v.Key).Where(k => k.StartsWith("KUBE", StringComparison.Ordinal)));
        Assert.DoesNotContain("certificate-authority-data", job.Var("KUBECONFIG"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true, true, "My_App", 42, "review-feature-x-bjrazc", "my-app-42-review-feature-x-bjrazc")]
    [InlineData(null, true, false, "My.App", 42, "production", "my-app-42")]
    [InlineData(null, false, true, "_app", 7, "production", "app-7-production")]
    [InlineData("shop", true, true, "app", 7, "production", "shop-production")]
    [InlineData("shop", false, true, "app", 7, "production", "shop")]
    [InlineData("shop", true, false, "app", 7, "production", "shop")]
    public void The_default_namespace_follows_GitLabs_rule(string? clusterNamespace, bool managed, bool perEnvironment, string path, long id, string slug, string expected) =>
        Assert.Equal(expected, KubernetesNamespaces.Default(clusterNamespace, managed, perEnvironment, path, id, slug));

    [Fact]
    public void The_kubeconfig_has_one_cluster_user_and_current_context_named_gitlab_deploy()
    {
        var text = KubeConfig.Of("https://k:6443", "ns", "to\"ken", "PEM");
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("gitlab-deploy", root["current-context"].ToString());
        Assert.Equal("Config", root["kind"].ToString());
        var user = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)root["users"])[0])["user"];
        Assert.Equal("to\"ken", user["token"].ToString());
        Assert.Contains("certificate-authority-data: UEVN", text, StringComparison.Ordinal);
    }
}
