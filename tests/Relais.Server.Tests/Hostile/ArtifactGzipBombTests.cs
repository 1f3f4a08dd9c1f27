using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Hostile;

/// <summary>The memory measurements need the process to themselves: this collection runs after the others, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ArtifactMemoryCollection
{
    public const string Name = "artifact memory";
}

/// <summary>
/// A dotenv report that is a gzip bomb (about 1 MB that inflates to about 1 GB of zeros). The server inflates at most
/// GitLab's dotenv limit (5 KiB) + 1 byte of it and refuses it. Measured on the server in this process: the bytes it
/// allocated while answering, and the working set (RSS) before and after.
/// </summary>
[Collection(ArtifactMemoryCollection.Name)]
public sealed class ArtifactGzipBombTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_gzip_bomb_dotenv_report_is_refused_without_being_inflated()
    {
        var (bomb, inflated) = Bomb(1_000_000);
        var (server, job) = await ArtifactAttacks.RunningJobAsync();
        await using (server)
        {
            Collect();
            using var self = Process.GetCurrentProcess();
            var rssBefore = self.WorkingSet64;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            using var response = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=dotenv&artifact_format=gzip", bomb, ".env.gz");
            var body = await ArtifactAttacks.BodyAsync(response);
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            self.Refresh();
            var rssAfter = self.WorkingSet64;
            output.WriteLine(
                $"gzip bomb: {bomb.Length:N0} bytes uploaded, {inflated:N0} bytes inflated; answer {body} in {clock.ElapsedMilliseconds} ms; " +
                $"allocated while answering {allocated / 1024.0 / 1024:F1} MiB; RSS before {rssBefore / 1024 / 1024} MiB, after {rssAfter / 1024 / 1024} MiB");

            ArtifactAttacks.AssertStatus(HttpStatusCode.BadRequest, response, body);
            Assert.Contains("Dotenv Artifact Too Big", body, StringComparison.Ordinal);
            Assert.True(allocated < 64L * 1024 * 1024, $"the server allocated {allocated:N0} bytes answering a {bomb.Length:N0}-byte upload");
            Assert.True(rssAfter - rssBefore < 300L * 1024 * 1024, $"RSS grew from {rssBefore:N0} to {rssAfter:N0} bytes");
            Assert.Empty(ArtifactAttacks.FilesOf(server, job.Id));
            Assert.Empty(await ArtifactAttacks.RowsAsync(server, "artifacts"));
        }
    }

    [Fact]
    public async Task A_dotenv_report_just_under_the_limit_is_still_read_whole()
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync();
        await using (server)
        {
            // 5,119 bytes: GitLab's limit is "smaller than 5 KiB".
            var content = "A=" + new string('x', 5119 - 3) + "\n";
            using var fits = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=dotenv&artifact_format=gzip", Archives.Gzip(content), ".env.gz");
            ArtifactAttacks.AssertStatus(HttpStatusCode.Created, fits, await ArtifactAttacks.BodyAsync(fits));
            using var over = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=dotenv&artifact_format=raw", System.Text.Encoding.UTF8.GetBytes(content + "B=1\n"), ".env");
            var body = await ArtifactAttacks.BodyAsync(over);
            ArtifactAttacks.AssertStatus(HttpStatusCode.BadRequest, over, body);
            Assert.Contains("Maximum Allowable Size: 5120", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_broken_gzip_dotenv_report_is_a_400()
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync();
        await using (server)
        {
            // A gzip header, then a deflate block of the reserved type.
            byte[] broken = [.. Archives.Gzip("A=1\n").Take(10), 0xFF, 0xFF, 0xFF, 0xFF];
            using var response = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=dotenv&artifact_format=gzip", broken, ".env.gz");
            var body = await ArtifactAttacks.BodyAsync(response);
            ArtifactAttacks.AssertStatus(HttpStatusCode.BadRequest, response, body);
            Assert.Empty(ArtifactAttacks.FilesOf(server, job.Id));
        }
    }

    /// <summary>Gzipped zeros until the gzip holds at least <paramref name="size"/> bytes; and how many bytes it inflates to.</summary>
    private static (byte[] Bomb, long Inflated) Bomb(int size)
    {
        using var buffer = new MemoryStream();
        long inflated = 0;
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            while (buffer.Length < size)
            {
                gzip.Write(zeros);
                inflated += zeros.Length;
            }
        }

        return (buffer.ToArray(), inflated);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
