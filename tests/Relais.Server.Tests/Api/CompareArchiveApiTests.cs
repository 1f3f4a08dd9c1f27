using System.Formats.Tar;
using System.IO.Compression;
using System.Net;

namespace Relais.Server.Tests.Api;

/// <summary>Compare and archive over HTTP on a repository pushed with real git.</summary>
public sealed class CompareArchiveApiTests
{
    [Fact]
    public async Task Compare_lists_the_commits_between_two_refs_oldest_first_and_their_diff()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/compare";
        var (status, json, _) = await repo.Api.GetAsync(route + "?from=feature%2Fone&to=main");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([repo.Second], json.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(repo.Second, json.GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal("src/app.txt", Assert.Single(json.GetProperty("diffs").EnumerateArray()).GetProperty("new_path").GetString());
        Assert.False(json.GetProperty("compare_same_ref").GetBoolean());

        var (_, same, _) = await repo.Api.GetAsync(route + "?from=main&to=main");
        Assert.True(same.GetProperty("compare_same_ref").GetBoolean());
        Assert.Empty(same.GetProperty("diffs").EnumerateArray());
        Assert.Equal("404 Ref Not Found", (await repo.Api.GetAsync(route + "?from=nope&to=main")).Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?from=--output%3Dx&to=main")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.GetAsync(route + "?from=main")).Status);
    }

    [Fact]
    public async Task The_archive_is_a_tar_gz_or_zip_of_the_tree_under_one_folder()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/archive";
        var (status, _, response) = await repo.Api.GetAsync(route + "?sha=feature%2Fone");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"demo-{repo.First}.tar.gz", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }

        Assert.Contains($"demo-{repo.First}/src/app.txt", names);

        var (_, _, zipResponse) = await repo.Api.GetAsync(route + ".zip");
        using var zip = new ZipArchive(await zipResponse.Content.ReadAsStreamAsync());
        using var reader = new StreamReader(zip.GetEntry($"demo-{repo.Second}/src/app.txt")!.Open());
        Assert.Equal("two\n", await reader.ReadToEndAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + ".rar")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync(route + "?sha=--remote%3Dx")).Status);
    }
}
