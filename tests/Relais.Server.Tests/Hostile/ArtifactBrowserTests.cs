using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Artifacts;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// The artifact browser on an archive of 300,000 entries (it used to list them all in one 42 MB page): one folder
/// level at a time, pages of at most 100 items, the next page by key; and the listing rules on small archives.
/// </summary>
[Collection(ArtifactMemoryCollection.Name)]
public sealed partial class ArtifactBrowserTests(ITestOutputHelper output)
{
    private const int Files = 300_000;

    [Fact]
    public async Task The_browser_of_a_300k_entry_zip_returns_bounded_pages_quickly()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var created = await server.CreatePipelineAsync(ArtifactAttacks.OneJob);
        var jobId = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(created.Id)).Single().Id;
        var zipPath = Path.Combine(server.DataDir, "big.zip");
        WriteBigZip(zipPath);
        await using (var zip = File.OpenRead(zipPath))
        {
            var (relative, size) = await server.Host.Blobs.SaveAsync(jobId, "archive", "artifacts.zip", zip, CancellationToken.None);
            await server.Host.Stores.Artifacts.SaveArtifactAsync(new() { JobId = jobId, FileType = "archive", FileFormat = "zip", Filename = "artifacts.zip", Size = size, BlobPath = relative }, DateTimeOffset.UtcNow, null);
        }

        using var http = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", TestServer.RootToken);
        var root = $"root/demo/-/jobs/{jobId}/artifacts";

        var (top, topMs) = await GetAsync(http, $"{root}/browse");
        Assert.Contains($"href=\"/{root}/browse/files/\"", top, StringComparison.Ordinal);
        Assert.Contains($"href=\"/{root}/file/README.txt\"", top, StringComparison.Ordinal);
        Assert.DoesNotContain("file-000001", top, StringComparison.Ordinal);

        var (first, firstMs) = await GetAsync(http, $"{root}/browse/files/");
        var links = FileLinks().Matches(first).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ArchiveListing.MaxPageSize, links.Count);
        Assert.Equal("files/file-000000.txt", links[0]);
        var next = NextLink().Match(first);
        Assert.True(next.Success, "no link to the next page");

        var (second, secondMs) = await GetAsync(http, WebUtility.HtmlDecode(next.Groups[1].Value).TrimStart('/'));
        Assert.Equal("files/file-000100.txt", FileLinks().Match(second).Groups[1].Value);

        var (_, fileMs) = await GetAsync(http, $"{root}/file/files/file-299999.txt");
        output.WriteLine(
            $"artifact browser, {Files:N0}-entry zip of {new FileInfo(zipPath).Length / 1024 / 1024} MiB: top {top.Length:N0} chars in {topMs} ms; " +
            $"files/ page 1 {first.Length:N0} chars in {firstMs} ms; page 2 {second.Length:N0} chars in {secondMs} ms; one entry in {fileMs} ms");
        Assert.True(first.Length < 64 * 1024, $"a page of {first.Length:N0} characters");
        Assert.True(firstMs < 10_000, $"the page took {firstMs} ms");
    }

    [Fact]
    public void A_folder_lists_its_sub_folders_first_then_its_files_once_each_by_pages()
    {
        var zip = Archives.Zip(("b.txt", "b"), ("a/x.txt", "x"), ("a/y/z.txt", "z"), ("c/", ""), ("a.txt", "aa"), ("a/w.txt", "w"));
        using var stream = new MemoryStream(zip);
        var top = ArchiveListing.Page(stream, "", null);
        Assert.Equal(["a/", "c/", "a.txt", "b.txt"], top.Items.Select(i => i.Name));
        Assert.Equal(2, top.Items.Single(i => i.Name == "a.txt").Length);
        Assert.Null(top.Next);
        Assert.Equal(6, top.Entries);

        Assert.Equal(["y/", "w.txt", "x.txt"], ArchiveListing.Page(stream, "a/", null).Items.Select(i => i.Name));

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = ArchiveListing.Page(stream, "", after, pageSize: 1);
            seen.AddRange(page.Items.Select(i => i.Name));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(["a/", "c/", "a.txt", "b.txt"], seen);
    }

    [Fact]
    public void A_zip_that_lies_about_its_directory_is_refused_not_trusted()
    {
        var zip = Archives.Zip(("a.txt", "a"));
        var end = zip.Length - 22;
        zip[end + 10] = 0xFF; // 65,535 entries in a directory of one
        zip[end + 11] = 0xFE;
        using var stream = new MemoryStream(zip);
        Assert.Throws<InvalidDataException>(() => ArchiveListing.Page(stream, "", null));
        Assert.Throws<InvalidDataException>(() => ArchiveListing.Page(new MemoryStream([1, 2, 3]), "", null));
    }

    private static async Task<(string Body, long Milliseconds)> GetAsync(HttpClient http, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body[..Math.Min(500, body.Length)]}");
        return (body, clock.ElapsedMilliseconds);
    }

    private static void WriteBigZip(string path)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using (var readme = new StreamWriter(zip.CreateEntry("README.txt").Open()))
        {
            readme.Write("300,000 files");
        }

        for (var i = 0; i < Files; i++)
        {
            zip.CreateEntry($"files/file-{i:D6}.txt", CompressionLevel.NoCompression);
        }
    }

    [GeneratedRegex("href=\"/root/demo/-/jobs/\\d+/artifacts/file/([^\"]+)\"")]
    private static partial Regex FileLinks();

    [GeneratedRegex("rel=\"next\" href=\"([^\"]+)\"")]
    private static partial Regex NextLink();
}
