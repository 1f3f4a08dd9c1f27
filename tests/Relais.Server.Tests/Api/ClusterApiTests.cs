using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>GitLab's project clusters API (certificate-based, deprecated) through python-gitlab and plain HTTP.</summary>
public sealed class ClusterApiTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_adds_lists_gets_updates_and_deletes_a_project_cluster_and_never_sees_the_token()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("shop", "build:\n  script: [echo hi]\n");
        var ca = Pem();
        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            c = p.clusters.create({'name': 'prod', 'environment_scope': 'production', 'domain': 'apps.example.com',
                'platform_kubernetes_attributes': {'api_url': 'https://k8s.example.com', 'token': 'secret-token-123', 'ca_cert': {{JsonSerializer.Serialize(ca)}}, 'namespace': 'Shop-Prod'} })
            created = c.attributes
            listed = [x.attributes for x in p.clusters.list()]
            c.platform_kubernetes_attributes = {'api_url': 'https://k8s2.example.com'}
            c.environment_scope = 'review/*'
            c.save()
            got = p.clusters.get(c.id).attributes
            p.clusters.delete(c.id)
            print(json.dumps({'created': created, 'listed': listed, 'got': got, 'after': len(p.clusters.list())}))
            """);
        var created = result.GetProperty("created");
        Assert.Equal("prod", created.GetProperty("name").GetString());
        Assert.Equal("production", created.GetProperty("environment_scope").GetString());
        Assert.Equal("apps.example.com", created.GetProperty("domain").GetString());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.True(created.GetProperty("managed").GetBoolean());
        Assert.Equal("user", created.GetProperty("provider_type").GetString());
        Assert.Equal("kubernetes", created.GetProperty("platform_type").GetString());
        Assert.Equal("project_type", created.GetProperty("cluster_type").GetString());
        Assert.Equal("root", created.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("root/shop", created.GetProperty("project").GetProperty("path_with_namespace").GetString());
        var platform = created.GetProperty("platform_kubernetes");
        Assert.Equal("https://k8s.example.com", platform.GetProperty("api_url").GetString());
        Assert.Equal("shop-prod", platform.GetProperty("namespace").GetString());
        Assert.Equal("rbac", platform.GetProperty("authorization_type").GetString());
        Assert.Equal(ca, platform.GetProperty("ca_cert").GetString());
        Assert.DoesNotContain("secret-token-123", result.GetRawText(), StringComparison.Ordinal);
        Assert.Single(result.GetProperty("listed").EnumerateArray());
        var got = result.GetProperty("got");
        Assert.Equal("review/*", got.GetProperty("environment_scope").GetString());
        Assert.Equal("https://k8s2.example.com", got.GetProperty("platform_kubernetes").GetProperty("api_url").GetString());
        Assert.Equal(ca, got.GetProperty("platform_kubernetes").GetProperty("ca_cert").GetString());
        Assert.Equal(0, result.GetProperty("after").GetInt32());
    }

    [Fact]
    public async Task Clusters_are_for_maintainers_refuse_bad_fields_and_duplicate_scopes_and_keep_the_token_sealed()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("shop", "build:\n  script: [echo hi]\n");
        var path = $"projects/{project}/clusters";
        const string Good = """{"name":"c","platform_kubernetes_attributes":{"api_url":"https://k.example.com","token":"tok-sealed-42"}}""";

        var (status, made, _) = await api.PostAsync(path + "/user", Good);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("*", made.GetProperty("environment_scope").GetString());
        var id = made.GetProperty("id").GetInt64();

        var duplicate = await api.PostAsync(path + "/user", Good);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("cannot add duplicated environment scope", duplicate.Json.GetProperty("message").GetProperty("environment_scope")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(path + "/user", """{"platform_kubernetes_attributes":{"api_url":"https://k","token":"t"}}""")).Status);
        var noToken = await api.PostAsync(path + "/user", """{"name":"x","environment_scope":"a","platform_kubernetes_attributes":{"api_url":"https://k"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, noToken.Status);
        Assert.Contains("platform_kubernetes_attributes[token] is missing", noToken.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        var badUrl = await api.PostAsync(path + "/user", """{"name":"x","environment_scope":"a","platform_kubernetes_attributes":{"api_url":"ftp://k","token":"t"}}""");
        Assert.True(badUrl.Json.GetProperty("message").TryGetProperty("platform_kubernetes.api_url", out _), badUrl.Json.ToString());
        var badCa = await api.PostAsync(path + "/user", """{"name":"x","environment_scope":"a","platform_kubernetes_attributes":{"api_url":"https://k","token":"t","ca_cert":"not a certificate"}}""");
        Assert.True(badCa.Json.GetProperty("message").TryGetProperty("platform_kubernetes.ca_cert", out _), badCa.Json.ToString());
        var badNamespace = await api.PostAsync(path + "/user", """{"name":"x","environment_scope":"a","platform_kubernetes_attributes":{"api_url":"https://k","token":"t","namespace":"-bad-"}}""");
        Assert.True(badNamespace.Json.GetProperty("message").TryGetProperty("platform_kubernetes.namespace", out _), badNamespace.Json.ToString());

        // Form fields work as GitLab's do.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "form", ["environment_scope"] = "staging", ["enabled"] = "false",
            ["platform_kubernetes_attributes[api_url]"] = "https://f.example.com", ["platform_kubernetes_attributes[token]"] = "form-token",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/{path}/user") { Content = form };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var formResponse = await api.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, formResponse.StatusCode);
        var formMade = JsonDocument.Parse(await formResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.False(formMade.GetProperty("enabled").GetBoolean());
        Assert.Equal("https://f.example.com", formMade.GetProperty("platform_kubernetes").GetProperty("api_url").GetString());

        // Alice: no access to the project (404), then Developer (403), then Maintainer (200).
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(path, ApiFixture.AliceToken)).Status);
        await api.PostAsync($"projects/{project}/members", """{"user_id": 2, "access_level": 30}""");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(path, ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync(path + "/user", Good.Replace("\"c\"", "\"d\"", StringComparison.Ordinal), ApiFixture.AliceToken)).Status);
        await api.SendAsync(HttpMethod.Put, $"projects/{project}/members/2", json: """{"access_level": 40}""");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"{path}/{id}", ApiFixture.AliceToken)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"{path}/999")).Status);
        var (_, list, response) = await api.GetAsync(path);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal("2", response.Headers.GetValues("X-Total").Single());
        Assert.DoesNotContain("tok-sealed-42", list.GetRawText(), StringComparison.Ordinal);

        // Sealed at rest: the database has no clear token, the store gives it back.
        var stored = await api.Server.Host.Stores.Clusters.GetAsync(project, id);
        Assert.Equal("tok-sealed-42", stored!.Token);
        foreach (var file in Directory.GetFiles(api.Server.DataDir, "relais.db*"))
        {
            Assert.DoesNotContain("tok-sealed-42", System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"{path}/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"{path}/{id}")).Status);
    }

    private static string Pem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=kube", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.ExportCertificatePem();
    }
}
