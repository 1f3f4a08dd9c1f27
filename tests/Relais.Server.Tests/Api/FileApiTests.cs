using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Api;

/// <summary>Trees, files and blobs over HTTP on a repository pushed with real git: shapes, raw streaming, and paths that try to leave the tree.</summary>
public sealed class FileApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_tree_lists_a_directory_or_everything_below_it()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/tree";
        var (status, root, _) = await repo.Api.GetAsync(route);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["README.md", "src"], Names(root, "path"));
        Assert.Equal("tree", root[1].GetProperty("type").GetString());
        Assert.Equal("040000", root[1].GetProperty("mode").GetString());
        Assert.Equal("blob", root[0].GetProperty("type").GetString());
        Assert.Equal(40, root[0].GetProperty("id").GetString()!.Length);

        Assert.Equal(["README.md", "src", "src/app.txt"], Names((await repo.Api.GetAsync(route + "?recursive=true")).Json, "path"));
        var (_, src, _) = await repo.Api.GetAsync(route + "?path=src&ref=feature%2Fone");
        Assert.Equal("app.txt", Assert.Single(src.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("src/app.txt", src[0].GetProperty("path").GetString());
        Assert.Equal(["README.md"], Names((await repo.Api.GetAsync(route + "?recursive=true&per_page=1")).Json, "path"));

        Assert.Equal("404 Tree Not Found", (await repo.Api.GetAsync(route + "?path=nope")).Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?path=README.md")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?ref=nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?path=src%2F..%2F..")).Status);
    }

    [Fact]
    public async Task A_file_is_read_as_json_with_base64_content_or_raw()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var files = $"projects/{repo.Project}/repository/files";
        var (status, file, _) = await repo.Api.GetAsync(files + "/src%2Fapp.txt?ref=main");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("app.txt", file.GetProperty("file_name").GetString());
        Assert.Equal("src/app.txt", file.GetProperty("file_path").GetString());
        Assert.Equal("base64", file.GetProperty("encoding").GetString());
        Assert.Equal("two\n", Encoding.UTF8.GetString(Convert.FromBase64String(file.GetProperty("content").GetString()!)));
        Assert.Equal(4, file.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("two\n"u8.ToArray())), file.GetProperty("content_sha256").GetString());
        Assert.Equal(repo.Second, file.GetProperty("commit_id").GetString());
        Assert.Equal(repo.Second, file.GetProperty("last_commit_id").GetString());
        Assert.Equal("main", file.GetProperty("ref").GetString());
        Assert.False(file.GetProperty("execute_filemode").GetBoolean());
        Assert.Equal(repo.First, (await repo.Api.GetAsync(files + "/README.md?ref=main")).Json.GetProperty("last_commit_id").GetString());

        var (rawStatus, _, raw) = await repo.Api.GetAsync(files + "/src%2Fapp.txt/raw?ref=feature%2Fone");
        Assert.Equal(HttpStatusCode.OK, rawStatus);
        Assert.Equal("one\n", await raw.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", raw.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("two\n", await (await repo.Api.GetAsync(files + "/src%2Fapp.txt/raw")).Response.Content.ReadAsStringAsync());

        var blob = file.GetProperty("blob_id").GetString();
        Assert.Equal("two\n", await (await repo.Api.GetAsync($"projects/{repo.Project}/repository/blobs/{blob}/raw")).Response.Content.ReadAsStringAsync());
        Assert.Equal("404 Blob Not Found", (await repo.Api.GetAsync($"projects/{repo.Project}/repository/blobs/{repo.Second}/raw")).Json.GetProperty("message").GetString());

        Assert.Equal("400 Bad request - ref is missing", (await repo.Api.GetAsync(files + "/README.md")).Json.GetProperty("message").GetString());
        Assert.Equal("404 File Not Found", (await repo.Api.GetAsync(files + "/nope.txt?ref=main")).Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(files + "/src?ref=main")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(files + "/README.md?ref=nope")).Status);
    }

    [Theory]
    [InlineData("..%2F..%2Fconfig")]
    [InlineData("src%2F..%2FREADME.md")]
    [InlineData(".%2FREADME.md")]
    [InlineData("%3A%28top%29README.md")]
    [InlineData("%2A.md")]
    [InlineData("README.md%0A")]
    public async Task A_file_path_that_tries_traversal_or_pathspec_magic_finds_nothing(string path)
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var files = $"projects/{repo.Project}/repository/files/";
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(files + path + "?ref=main")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(files + path + "/raw?ref=main")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(files + "README.md?ref=" + path)).Status);
    }

    [Fact]
    public async Task A_large_file_is_streamed_raw_and_refused_as_json()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var bytes = RandomNumberGenerator.GetBytes(12 * 1024 * 1024);
        File.WriteAllBytes(Path.Combine(repo.Git.Dir, "big.bin"), bytes);
        repo.Git.Commit("big");
        repo.Git.Ok("push", "--quiet", repo.Remote, "main");

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v4/projects/{repo.Project}/repository/files/big.bin/raw?ref=main");
        request.Headers.Add("PRIVATE-TOKEN", Support.TestServer.RootToken);
        using var response = await repo.Api.Server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        var body = await response.Content.ReadAsByteArrayAsync();
        output.WriteLine($"12 MiB raw file: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(body));

        var (status, json, _) = await repo.Api.GetAsync($"projects/{repo.Project}/repository/files/big.bin?ref=main");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("/raw", json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static List<string?> Names(JsonElement list, string key) => list.EnumerateArray().Select(e => e.GetProperty(key).GetString()).ToList();
}
