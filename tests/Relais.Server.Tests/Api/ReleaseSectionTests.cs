using Relais.Server.Pipelines.Releases;

namespace Relais.Server.Tests.Api;

/// <summary>The <c>release:</c> keyword read as a release to create, variables expanded (pure).</summary>
public sealed class ReleaseSectionTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["CI_COMMIT_TAG"] = "v2", ["CI_COMMIT_SHA"] = "abc123" };

    [Fact]
    public void Every_field_is_expanded_and_ref_defaults_to_the_jobs_commit()
    {
        var (request, problem) = ReleaseSection.Read(
            """{"tag_name": "$CI_COMMIT_TAG", "name": "R ${CI_COMMIT_TAG}", "description": "Notes for $CI_COMMIT_TAG", "tag_message": "m $CI_COMMIT_TAG", "released_at": "2026-01-02T03:04:05+01:00", "assets": {"links": [{"name": "a", "url": "https://x/$CI_COMMIT_TAG", "direct_asset_path": "bin/a"}]}}""",
            Lookup);

        Assert.Null(problem);
        Assert.Equal(("v2", "R v2", "Notes for v2", "m v2", "abc123"), (request!.TagName, request.Name, request.Description, request.TagMessage, request.Ref));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 4, 5, TimeSpan.Zero), request.ReleasedAt);
        var link = Assert.Single(request.Links);
        Assert.Equal(("a", "https://x/v2", "/bin/a", "other"), (link.Name, link.Url, link.DirectAssetPath, link.LinkType));
    }

    [Fact]
    public void A_given_ref_wins_and_an_unreadable_time_is_a_problem()
    {
        Assert.Equal("main", ReleaseSection.Read("""{"tag_name": "v1", "ref": "main"}""", Lookup).Request!.Ref);
        Assert.Equal("released_at is invalid: soon", ReleaseSection.Read("""{"tag_name": "v1", "released_at": "soon"}""", Lookup).Problem);
        Assert.Equal("release: is not a mapping", ReleaseSection.Read("\"v1\"", Lookup).Problem);
    }

    private static string? Lookup(string name) => Variables.GetValueOrDefault(name);
}
