using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// What deploy jobs get from the project's Kubernetes settings and file variables, run by a real runner agent (shell
/// executor): there is no cluster here, so the jobs copy out what Relais wrote (kubeconfig, CA file, namespace) and the
/// test parses it and has the host's <c>kubectl config view</c> read it (which needs no API server).
/// </summary>
public sealed class KubernetesJobTests
{
    private const string Token = "kube-token-Abc123456789";
    private const string ReviewToken = "review-token-Xyz987654321";
    private const string MaskedFile = "Masked-File-Content-4242";

    private const string Pipeline = """
        variables: { GIT_STRATEGY: none, KCFG: $KUBECONFIG }
        .out: &out
          - mkdir -p "$OUT/$CI_JOB_NAME"
          - echo "$KUBE_URL" > "$OUT/$CI_JOB_NAME/url"
          - echo "$KUBE_NAMESPACE" > "$OUT/$CI_JOB_NAME/namespace"
          - if [ -n "$KUBECONFIG" ]; then cp "$KUBECONFIG" "$OUT/$CI_JOB_NAME/kubeconfig"; stat -c %a "$KUBECONFIG" > "$OUT/$CI_JOB_NAME/mode"; echo "$KUBECONFIG" > "$OUT/$CI_JOB_NAME/path"; fi
          - if [ -n "$KUBE_CA_PEM_FILE" ]; then cp "$KUBE_CA_PEM_FILE" "$OUT/$CI_JOB_NAME/ca.pem"; fi
          - if [ -n "$KUBECONFIG" ]; then test "$KCFG" = "$KUBECONFIG"; fi
          - cat "$SECRET_FILE"; echo " <- secret file"
          - if [ -n "$KUBECONFIG" ]; then cat "$KUBECONFIG"; fi
        deploy:
          environment: { name: production }
          script: *out
        review:
          environment: { name: review/feature-x, kubernetes: { namespace: review-ns } }
          before_script:
            - eval "$(ssh-agent -s)" > /dev/null && ssh-add "$SSH_PRIVATE_KEY" && ssh-add -l && ssh-agent -k > /dev/null
          script: *out
        staging:
          environment: { name: staging }
          script: *out
        build:
          script: *out
        """;

    [Fact]
    public async Task Deploy_jobs_get_the_kubeconfig_CA_file_and_namespace_of_the_cluster_covering_their_environment_and_kubectl_reads_it()
    {
        await using var api = await ApiFixture.StartAsync();
        using var outDir = new TempDirectory();
        var project = await api.ProjectWithConfigAsync("shop", Pipeline);
        var ca = SelfSignedPem();
        var key = SshKey(outDir.Path);
        await CreateAsync(api, $"projects/{project}/clusters/user", new { name = "all", environment_scope = "*", domain = "apps.example.com", platform_kubernetes_attributes = new { api_url = "https://k8s.example.com:6443", token = Token, ca_cert = ca + "\n" } });
        await CreateAsync(api, $"projects/{project}/clusters/user", new { name = "reviews", environment_scope = "review/*", platform_kubernetes_attributes = new { api_url = "https://review.example.com", token = ReviewToken, @namespace = "reviews" } });
        await CreateAsync(api, $"projects/{project}/variables", new { key = "OUT", value = outDir.Path });
        await CreateAsync(api, $"projects/{project}/variables", new { key = "SECRET_FILE", value = MaskedFile, variable_type = "file", masked = true });
        await CreateAsync(api, $"projects/{project}/variables", new { key = "SSH_PRIVATE_KEY", value = key, variable_type = "file", environment_scope = "review/*" });
        await CreateAsync(api, $"projects/{project}/variables", new { key = "KUBECONFIG", value = "apiVersion: v1\nkind: Config\n# the project's own\n", variable_type = "file", environment_scope = "staging" });
        var (_, runnerToken) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);

        await using (RunningAgent.Start(api.Server, runnerToken, "kube"))
        {
            var jobs = await FinishedAsync(api.Server, pipeline);
            foreach (var job in jobs)
            {
                var trace = Encoding.UTF8.GetString(await api.Server.Host.Traces.ReadAsync(job.Id, default));
                Assert.True(job.Status == CiStatus.Success, $"{job.Name}: {job.Status} ({job.FailureReason}):\n{trace}");
                Assert.DoesNotContain(Token, trace, StringComparison.Ordinal);
                Assert.DoesNotContain(ReviewToken, trace, StringComparison.Ordinal);
                Assert.DoesNotContain(MaskedFile, trace, StringComparison.Ordinal);
                Assert.Contains("[MASKED] <- secret file", trace, StringComparison.Ordinal);
            }
        }

        string Out(string job, string name) => File.ReadAllText(Path.Combine(outDir.Path, job, name)).TrimEnd('\n');

        // production: the "*" cluster, GitLab's default namespace <project path>-<id>-<environment slug>.
        var ns = $"shop-{project}-production";
        Assert.Equal("https://k8s.example.com:6443", Out("deploy", "url"));
        Assert.Equal(ns, Out("deploy", "namespace"));
        Assert.Equal(ca, Out("deploy", "ca.pem"));
        Assert.Equal("600", Out("deploy", "mode"));
        Assert.False(File.Exists(Out("deploy", "path")), "the kubeconfig is removed after the job");
        var config = Parse(Out("deploy", "kubeconfig"));
        Assert.Equal("gitlab-deploy", Scalar(config, "current-context"));
        var cluster = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)config["clusters"])[0])["cluster"];
        Assert.Equal("https://k8s.example.com:6443", Scalar(cluster, "server"));
        Assert.Equal(ca, Encoding.UTF8.GetString(Convert.FromBase64String(Scalar(cluster, "certificate-authority-data"))));
        var context = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)config["contexts"])[0])["context"];
        Assert.Equal(ns, Scalar(context, "namespace"));
        Assert.Equal("gitlab-deploy", Scalar(context, "user"));
        var user = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)config["users"])[0])["user"];
        Assert.Equal(Token, Scalar(user, "token"));

        // kubectl reads it (config view needs no API server).
        var view = Kubectl(Path.Combine(outDir.Path, "deploy", "kubeconfig"));
        Assert.Equal("gitlab-deploy", view.GetProperty("current-context").GetString());
        Assert.Equal("https://k8s.example.com:6443", view.GetProperty("clusters")[0].GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal(ns, view.GetProperty("contexts")[0].GetProperty("context").GetProperty("namespace").GetString());
        Assert.Equal(Token, view.GetProperty("users")[0].GetProperty("user").GetProperty("token").GetString());
        Assert.Equal(ca, Encoding.UTF8.GetString(Convert.FromBase64String(view.GetProperty("clusters")[0].GetProperty("cluster").GetProperty("certificate-authority-data").GetString()!)));

        // review/feature-x: the more specific "review/*" cluster, and environment:kubernetes:namespace over its namespace.
        Assert.Equal("https://review.example.com", Out("review", "url"));
        Assert.Equal("review-ns", Out("review", "namespace"));
        Assert.False(File.Exists(Path.Combine(outDir.Path, "review", "ca.pem")));
        Assert.Equal(ReviewToken, Kubectl(Path.Combine(outDir.Path, "review", "kubeconfig")).GetProperty("users")[0].GetProperty("user").GetProperty("token").GetString());

        // staging: the cluster's variables, but the project's KUBECONFIG file variable wins.
        Assert.Equal("https://k8s.example.com:6443", Out("staging", "url"));
        Assert.Contains("# the project's own", Out("staging", "kubeconfig"), StringComparison.Ordinal);

        // no environment: no cluster.
        Assert.Equal("", Out("build", "url"));
        Assert.False(File.Exists(Path.Combine(outDir.Path, "build", "kubeconfig")));
    }

    private static async Task<List<JobRecord>> FinishedAsync(TestServer server, long pipeline)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var jobs = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline)).ToList();
            if (jobs.All(j => j.Status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled) || DateTime.UtcNow > until)
            {
                return jobs;
            }

            await Task.Delay(200);
        }
    }

    private static async Task CreateAsync(ApiFixture api, string path, object body)
    {
        var (status, json, _) = await api.PostAsync(path, JsonSerializer.Serialize(body));
        Assert.True(status == HttpStatusCode.Created, $"{path}: {status} {json}");
    }

    private static string SelfSignedPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return cert.ExportCertificatePem();
    }

    private static string SshKey(string dir)
    {
        var path = Path.Combine(dir, "id_test");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path);
        return File.ReadAllText(path);
    }

    private static JsonElement Kubectl(string kubeconfig)
    {
        var text = Run("kubectl", "config", "view", "--minify", "--raw", "--kubeconfig", kubeconfig, "-o", "json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }

    private static YamlMappingNode Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
