using System.Net;
using System.Text;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// A masked value never lands in the database (or in a path on disk) in plain text through what a job uploads: a dotenv
/// report that repeats it (or reuses a masked variable's name), or an <c>artifacts:name</c> the runner expanded it into.
/// The rows are read straight from the SQLite file.
/// </summary>
public sealed class MaskedValueStorageTests
{
    // A '/' in the secret: the artifact name is cut to its last segment, which must not leave half of it behind.
    private const string Secret = "Sup3r/S3cretValue99";

    private const string Pipeline = """
        variables: { GIT_STRATEGY: none }
        stages: [build, test]
        build:
          stage: build
          script: [make]
        test:
          stage: test
          script: [test]
        """;

    [Fact]
    public async Task A_masked_value_in_a_dotenv_report_or_an_artifact_name_is_not_stored_in_plain_text()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("masked", Pipeline);
        var (status, _) = await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, $$"""{"key":"DEPLOY_KEY","value":"{{Secret}}","masked":true}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(project);
        var build = (await f.TakeJobAsync(runner))!;
        Assert.Contains(build.Variables, v => v.Key == "DEPLOY_KEY" && v.Masked);

        var dotenv = $"COPY={Secret}\nDEPLOY_KEY={Secret}\nVERSION=1.2.3\n";
        using (var report = await ArtifactAttacks.UploadAsync(f.Http, build, "artifact_type=dotenv&artifact_format=gzip", Archives.Gzip(dotenv), ".env.gz"))
        {
            ArtifactAttacks.AssertStatus(HttpStatusCode.Created, report, await ArtifactAttacks.BodyAsync(report));
        }

        using (var archive = await ArtifactAttacks.UploadAsync(f.Http, build, "artifact_type=archive&artifact_format=zip", Archives.Zip(("out.txt", "x")), $"build-{Secret}.zip"))
        {
            ArtifactAttacks.AssertStatus(HttpStatusCode.Created, archive, await ArtifactAttacks.BodyAsync(archive));
        }

        var rows = await ArtifactAttacks.RowsAsync(f.Server, "artifacts");
        var stored = string.Join("\n", rows.SelectMany(r => r.Select(c => $"{c.Key}={c.Value}")));
        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretValue99", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r", stored, StringComparison.Ordinal);
        Assert.Equal("build-[MASKED].zip", rows.Single(r => r["file_type"] == "archive")["filename"]);
        Assert.StartsWith("relais:enc:", rows.Single(r => r["file_type"] == "dotenv")["dotenv_json"], StringComparison.Ordinal);
        Assert.DoesNotContain(ArtifactAttacks.FilesOf(f.Server, build.Id), p => p.Contains("S3cretValue99", StringComparison.Ordinal));

        // The variables still reach the next job, opened; the project's masked variable keeps precedence over the report's.
        (await f.Server.UpdateJobAsync(build, "success")).Dispose();
        var test = (await f.TakeJobAsync(runner))!;
        Assert.Contains(test.Variables, v => v.Key == "VERSION" && v.Value == "1.2.3");
        Assert.Contains(test.Variables, v => v.Key == "COPY" && v.Value == Secret);
        Assert.Equal("build-[MASKED].zip", test.Dependencies.Single().ArtifactsFile?.Filename);
    }

    [Fact]
    public void Masking_replaces_every_masked_value_longest_first()
    {
        Assert.Equal("a-[MASKED]-b-[MASKED]", Artifacts.MaskedValues.Mask("a-abcdefgh12-b-abcdefgh", ["abcdefgh12", "abcdefgh"]));
        Assert.Equal("plain.zip", Artifacts.MaskedValues.Mask("plain.zip", []));
        Assert.Equal(Encoding.UTF8.GetByteCount("[MASKED]"), Artifacts.MaskedValues.Replacement.Length);
    }
}
