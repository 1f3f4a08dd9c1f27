using System.Net;
using Relais.Server.Artifacts;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// <c>expire_in</c> values no date can hold (a 500 and an orphan blob before), and re-uploads of the same job and
/// artifact type (the old blob stayed on disk before).
/// </summary>
public sealed class ArtifactExpiryAndReplaceTests
{
    [Theory]
    [InlineData("99999999999 years")]
    [InlineData("99999999999 months")]
    [InlineData("999999999999 weeks")]
    [InlineData("1000000000000 seconds")]
    [InlineData("9999999 years 9999999 years")]
    [InlineData("99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999 days")]
    public async Task An_expire_in_too_long_for_a_date_is_never_and_leaves_exactly_the_artifact(string expireIn)
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync();
        await using (server)
        {
            using var response = await ArtifactAttacks.UploadAsync(
                server.Http, job, "artifact_type=archive&artifact_format=zip&expire_in=" + Uri.EscapeDataString(expireIn), Archives.Zip(("a.txt", "a")), "artifacts.zip");
            ArtifactAttacks.AssertStatus(HttpStatusCode.Created, response, await ArtifactAttacks.BodyAsync(response));
            var row = Assert.Single(await ArtifactAttacks.RowsAsync(server, "artifacts"));
            Assert.Null(row["expire_at"]);
            Assert.Equal(["archive/artifacts.zip"], ArtifactAttacks.FilesOf(server, job.Id));
        }
    }

    [Theory]
    [InlineData("99999999999 years")]
    [InlineData("1000000000000 seconds")]
    [InlineData("300000 years 300000 years")]
    [InlineData("never")]
    [InlineData("")]
    [InlineData("x")]
    public void ExpireIn_never_throws_and_is_never_past_the_largest_date(string text)
    {
        var now = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(ExpireIn.Parse(text, now));
    }

    [Fact]
    public void ExpireIn_still_reads_ordinary_durations()
    {
        var now = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(7), ExpireIn.Parse("1 week", now));
        Assert.Equal(now.AddDays(3).AddHours(4), ExpireIn.Parse("3 days 4 hrs", now));
        Assert.Equal(now.AddMinutes(90), ExpireIn.Parse("1.5 hours", now));
        Assert.Equal(now.AddDays(365 * 100), ExpireIn.Parse("100 years", now));
    }

    [Fact]
    public async Task Re_uploading_an_artifact_under_another_name_deletes_the_old_file()
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync();
        await using (server)
        {
            using (var first = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=archive&artifact_format=zip", Archives.Zip(("a.txt", "first")), "first.zip"))
            {
                ArtifactAttacks.AssertStatus(HttpStatusCode.Created, first, await ArtifactAttacks.BodyAsync(first));
            }

            using (var second = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=archive&artifact_format=zip", Archives.Zip(("a.txt", "second")), "second.zip"))
            {
                ArtifactAttacks.AssertStatus(HttpStatusCode.Created, second, await ArtifactAttacks.BodyAsync(second));
            }

            using (var junit = await ArtifactAttacks.UploadAsync(server.Http, job, "artifact_type=junit&artifact_format=gzip", Archives.Gzip("<testsuites/>"), "junit.xml.gz"))
            {
                ArtifactAttacks.AssertStatus(HttpStatusCode.Created, junit, await ArtifactAttacks.BodyAsync(junit));
            }

            Assert.Equal(["archive/second.zip", "junit/junit.xml.gz"], ArtifactAttacks.FilesOf(server, job.Id));
            var archive = Assert.Single(await ArtifactAttacks.RowsAsync(server, "artifacts"), r => r["file_type"] == "archive");
            Assert.Equal("second.zip", archive["filename"]);
        }
    }
}
