using Relais.GitOps.Policies;

namespace Relais.GitOps.Tests;

/// <summary>Flux's image policies: which tag each picks (the examples of Flux's ImagePolicy documentation and the tutorial's).</summary>
public sealed class ImagePolicyTests
{
    private static readonly string[] Tags = ["1.0.0", "1.0.1", "1.1.0", "1.1.0-rc.1", "2.0.0-alpha", "v1.2.0", "tmp", "latest", "main-abc123-1700000001", "main-def456-1700000009"];

    [Theory]
    [InlineData(">=1.0.0", "v1.2.0")]
    [InlineData(">=1.0.0 <1.2.0", "1.1.0")]
    [InlineData("1.0.x", "1.0.1")]
    [InlineData("~1.0", "1.0.1")]
    [InlineData("^1.0.0", "v1.2.0")]
    [InlineData("<1.0.1", "1.0.0")]
    [InlineData(">=1.1.0-0", "2.0.0-alpha")]
    [InlineData(">=3.0.0", null)]
    [InlineData("1.0.0 || 1.1.0", "1.1.0")]
    [InlineData("1.0 - 1.1", "1.1.0")]
    public void Semver_picks_the_highest_version_in_range_and_leaves_pre_releases_out_unless_named(string range, string? latest)
    {
        var parsed = SemverRange.TryParse(range, out var error);
        Assert.Null(error);
        Assert.Equal(latest, new SemverPolicy(parsed!).Latest(Tags, TagFilter.All));
    }

    [Theory]
    [InlineData("^0.2.3", "0.2.3", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("~1", "1.9.9", true)]
    [InlineData("~1", "2.0.0", false)]
    [InlineData(">1.2", "1.2.9", false)]
    [InlineData(">1.2", "1.3.0", true)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("!=1.2.3", "1.2.3", false)]
    [InlineData("*", "9.9.9", true)]
    [InlineData(">= 1.2, < 2", "1.5.0", true)]
    public void Ranges_mean_what_Masterminds_syntax_means(string range, string version, bool contained) =>
        Assert.Equal(contained, SemverRange.TryParse(range, out _)!.Contains(SemanticVersion.TryParse(version)!));

    [Fact]
    public void Versions_order_by_semver_precedence()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.0.1", "1.1"];
        for (var i = 1; i < ordered.Length; i++)
        {
            Assert.True(SemanticVersion.TryParse(ordered[i - 1])! < SemanticVersion.TryParse(ordered[i])!, ordered[i - 1] + " < " + ordered[i]);
        }

        Assert.Null(SemanticVersion.TryParse("latest"));
        Assert.Null(SemanticVersion.TryParse("1.0.0.0"));
        Assert.Null(SemverRange.TryParse(">=banana", out var error));
        Assert.Contains("banana", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_tags_extracts_what_the_policy_orders_and_answers_the_whole_tag()
    {
        var filter = TagFilter.TryCreate(@"^main-[a-f0-9]+-(?<ts>[0-9]+)$", "$ts", out var error);
        Assert.Null(error);
        Assert.Equal("main-def456-1700000009", new NumericalPolicy().Latest(Tags, filter!));
        Assert.Equal("main-abc123-1700000001", new NumericalPolicy(ascending: false).Latest(Tags, filter!));
        Assert.Equal("1700000009", filter!.Apply("main-def456-1700000009"));
        Assert.Equal("x-1700000009-$", TagFilter.TryCreate("^main-[a-f0-9]+-([0-9]+)$", "x-${1}-$$", out _)!.Apply("main-def456-1700000009"));
    }

    [Fact]
    public void The_tutorials_lookahead_filter_works_and_alphabetical_picks_z_ascending()
    {
        var notTmp = TagFilter.TryCreate("^((?!tmp).)*$", null, out var error);
        Assert.Null(error);
        Assert.Null(notTmp!.Apply("tmp"));
        Assert.Equal("v1.2.0", new AlphabeticalPolicy().Latest(Tags, notTmp));
        Assert.Equal("1.0.0", new AlphabeticalPolicy(ascending: false).Latest(Tags, notTmp));
        Assert.Null(TagFilter.TryCreate("([", null, out var bad));
        Assert.Contains("is not a regular expression", bad, StringComparison.Ordinal);
        Assert.Null(TagFilter.TryCreate(null, "$1", out var lonely));
        Assert.NotNull(lonely);
    }
}
