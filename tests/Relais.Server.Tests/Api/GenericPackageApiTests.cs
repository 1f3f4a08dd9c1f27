using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// The generic package registry (issue #14): python-gitlab's <c>generic_packages.upload/download</c> and
/// <c>packages</c>, a job uploading with <c>JOB-TOKEN</c> as curl does, GitLab's 400s for bad names, and the size limit.
/// </summary>
public sealed class GenericPackageApiTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_uploads_downloads_lists_and_deletes_a_generic_package()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.ProjectWithConfigAsync("demo", "build: {script: [echo]}");
        var file = Path.Combine(Path.GetTempPath(), "relais-package-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "hello package\n");
        try
        {
            var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
                p = gl.projects.get("root/demo")
                up = p.generic_packages.upload(package_name="app", package_version="1.0.0", file_name="app.txt", path="{{file}}")
                p.generic_packages.upload(package_name="app", package_version="1.0.0", file_name="other.bin", path="{{file}}")
                body = p.generic_packages.download(package_name="app", package_version="1.0.0", file_name="app.txt")
                pkgs = p.packages.list(package_type="generic", get_all=True)
                files = [f.file_name for f in pkgs[0].package_files.list()]
                out = {"upload": up.message, "body": body.decode(), "packages": [[k.name, k.version, k.package_type] for k in pkgs], "files": files}
                p.packages.delete(pkgs[0].id)
                out["after"] = len(p.packages.list())
                print(json.dumps(out))
                """);

            Assert.Equal("201 Created", result.GetProperty("upload").GetString());
            Assert.Equal("hello package\n", result.GetProperty("body").GetString());
            Assert.Equal(["app", "1.0.0", "generic"], result.GetProperty("packages")[0].EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(1, result.GetProperty("packages").GetArrayLength());
            Assert.Equal(["app.txt", "other.bin"], result.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
            Assert.Equal(0, result.GetProperty("after").GetInt32());
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(api.Server.Host.Options.DataDir, "artifacts", "packages"), "*", SearchOption.AllDirectories));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_job_uploads_with_its_JOB_TOKEN_and_bad_names_get_GitLabs_400()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [echo]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;
        var route = $"api/v4/projects/{project}/packages/generic";

        using var put = new HttpRequestMessage(HttpMethod.Put, $"{route}/app/1.0.0/app.tar.gz?select=package_file") { Content = new ByteArrayContent("binary"u8.ToArray()) };
        put.Headers.Add("JOB-TOKEN", job.Token);
        using var uploaded = await api.Server.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var stored = System.Text.Json.JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("app.tar.gz", stored.GetProperty("file_name").GetString());
        Assert.Equal(6, stored.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("binary"u8)), stored.GetProperty("file_sha256").GetString());

        using var get = new HttpRequestMessage(HttpMethod.Get, $"{route}/app/1.0.0/app.tar.gz");
        get.Headers.Add("JOB-TOKEN", job.Token);
        using var downloaded = await api.Server.Http.SendAsync(get);
        Assert.Equal("binary", await downloaded.Content.ReadAsStringAsync());
        var (_, packages, _) = await api.GetAsync($"projects/{project}/packages");
        Assert.Equal("app", packages[0].GetProperty("name").GetString());

        foreach (var (path, message) in new[]
        {
            ("a%20b/1.0.0/f", "package_name is invalid"),
            ("app/1..0/f", "package_version is invalid"),
            ("app/1.0.0/f%3Bx", "file_name is invalid"),
        })
        {
            using var bad = new HttpRequestMessage(HttpMethod.Put, $"{route}/{path}") { Content = new ByteArrayContent([1]) };
            bad.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
            using var refused = await api.Server.Http.SendAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (missing, _, _) = await api.GetAsync($"projects/{project}/packages/generic/app/1.0.0/nothing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        using var anonymous = new HttpRequestMessage(HttpMethod.Put, $"{route}/app/1.0.0/x") { Content = new ByteArrayContent([1]) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Server.Http.SendAsync(anonymous)).StatusCode);
        var (aliceStatus, _, _) = await api.GetAsync($"projects/{project}/packages", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.NotFound, aliceStatus);
    }

    [Fact]
    public async Task An_upload_past_the_artifact_limit_is_413_and_leaves_nothing_behind()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { Limits = o.Limits with { Artifact = 1024 } });
        await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        using var put = new HttpRequestMessage(HttpMethod.Put, "api/v4/projects/root%2Fdemo/packages/generic/app/1.0.0/big.bin") { Content = new ByteArrayContent(new byte[4096]) };
        put.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var folder = Path.Combine(server.Host.Options.DataDir, "artifacts", "packages");
        Assert.True(!Directory.Exists(folder) || !Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any());
        using var small = new HttpRequestMessage(HttpMethod.Put, "api/v4/projects/root%2Fdemo/packages/generic/app/1.0.0/small.bin") { Content = new ByteArrayContent(new byte[512]) };
        small.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        Assert.Equal(HttpStatusCode.Created, (await server.Http.SendAsync(small)).StatusCode);
    }
}
