using Relais.Server.Registry.Cleanup;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Registry;

/// <summary>The cleanup rules as GitLab applies them (pure): order, anchoring, durations, the policy's allowed values.</summary>
public sealed class TagCleanupRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static TagNamePattern Pattern(string text) => TagNamePattern.Parse(text).Pattern!;

    private static CleanupTag Tag(string name, double? daysAgo) => new(name, daysAgo is { } d ? Now.AddDays(-d) : null);

    [Fact]
    public void Latest_and_kept_names_are_spared_then_the_n_newest_then_the_young_ones()
    {
        var rules = new TagCleanupRules { Delete = Pattern(".*"), Keep = Pattern("keep-.*"), KeepN = 1, OlderThan = TimeSpan.FromDays(7) };
        CleanupTag[] tags = [Tag("latest", 100), Tag("v1", 10), Tag("v2", 9), Tag("v3", 8), Tag("keep-1", 20), Tag("dev", 1), Tag("nodate", null)];

        // Without a build time "nodate" counts as the newest (kept by keep_n) and is never old; "dev" is too young.
        Assert.Equal(["v1", "v2", "v3"], rules.TagsToDelete(tags, Now));
    }

    [Fact]
    public void Keep_n_counts_only_the_tags_whose_names_may_be_deleted()
    {
        var rules = new TagCleanupRules { Delete = Pattern("v.*"), KeepN = 2 };
        CleanupTag[] tags = [Tag("v1", 5), Tag("v2", 4), Tag("v3", 3), Tag("main", 1), Tag("stable", 0.5)];

        Assert.Equal(["v1"], rules.TagsToDelete(tags, Now));
    }

    [Fact]
    public void Without_a_delete_pattern_nothing_is_deleted_and_keep_wins_over_delete()
    {
        CleanupTag[] tags = [Tag("a", 5), Tag("b", 5)];

        Assert.Empty(new TagCleanupRules().TagsToDelete(tags, Now));
        Assert.Empty(new TagCleanupRules { Delete = Pattern(".*"), Keep = Pattern(".*") }.TagsToDelete(tags, Now));
        Assert.Equal(["a", "b"], new TagCleanupRules { Delete = Pattern(".*") }.TagsToDelete(tags, Now));
    }

    [Theory]
    [InlineData("v.*", "v1", true)]
    [InlineData("v.*", "xv1", false)] // anchored at the start
    [InlineData("v[0-9]", "v10", false)] // and at the end
    [InlineData("a|b", "ax", true)] // GitLab wraps the text as written: \Aa|b\z
    [InlineData("(?:a|b)", "ax", false)]
    public void Patterns_match_whole_names_as_gitlab_anchors_them(string pattern, string name, bool matches) =>
        Assert.Equal(matches, Pattern(pattern).Matches(name));

    [Theory]
    [InlineData("[")]
    [InlineData("(?=v)v")] // RE2 has no look-ahead
    [InlineData(@"(a)\1")] // nor back-references
    public void Patterns_re2_refuses_are_refused(string pattern) => Assert.NotNull(TagNamePattern.Parse(pattern).Problem);

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1month", 30 * 86400)]
    [InlineData("2 weeks", 14 * 86400)]
    [InlineData("1d 12h", 36 * 3600)]
    [InlineData("1m", 60)]
    [InlineData("90", 90)]
    public void Durations_read_as_gitlab_reads_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CleanupDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("3 parsecs")]
    [InlineData("0d")]
    public void Durations_that_are_not_are_refused(string text) => Assert.Null(CleanupDuration.Parse(text));

    [Fact]
    public void A_policy_is_checked_against_gitlabs_allowed_values()
    {
        var good = ExpirationPolicyRules.Default(1) with { Enabled = true };
        var bad = good with { Cadence = "2d", KeepN = 3, OlderThan = "1d", NameRegex = null };

        Assert.Empty(ExpirationPolicyRules.Problems(good));
        Assert.Equal(
            ["container_expiration_policy.cadence", "container_expiration_policy.keep_n", "container_expiration_policy.name_regex", "container_expiration_policy.older_than"],
            ExpirationPolicyRules.Problems(bad).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["can't be blank"], ExpirationPolicyRules.Problems(bad)["container_expiration_policy.name_regex"]);
        Assert.StartsWith("not valid RE2 syntax: ", ExpirationPolicyRules.Problems(good with { NameRegexKeep = "[" })["container_expiration_policy.name_regex_keep"][0], StringComparison.Ordinal);
        Assert.Empty(ExpirationPolicyRules.Problems(bad with { Enabled = false, Cadence = "7d", KeepN = null, OlderThan = null }));
        Assert.Equal("2026-12-08T12:00:00.000Z", ExpirationPolicyRules.NextRunAt(good, Now));
        Assert.Equal("2027-01-06T12:00:00.000Z", ExpirationPolicyRules.NextRunAt(good with { Cadence = "1month" }, Now));
    }

    [Fact]
    public void A_policys_attributes_apply_over_the_current_one_and_wrong_types_are_gitlabs_parameter_errors()
    {
        var fields = new Dictionary<string, string>
        {
            ["container_expiration_policy_attributes[cadence"] = "7d", // a form key, as the API's reader trims it
            ["container_expiration_policy_attributes"] = """{"enabled": true, "keep_n": 5, "name_regex_keep": "stable"}""",
        };
        var attributes = ExpirationPolicyInput.Read(fields)!;
        var (policy, invalid) = ExpirationPolicyInput.Apply(ExpirationPolicyRules.Default(1), attributes);

        Assert.Null(invalid);
        Assert.Equal(new ContainerExpirationPolicyRecord { ProjectId = 1, Enabled = true, Cadence = "7d", KeepN = 5, OlderThan = "90d", NameRegex = ".*", NameRegexKeep = "stable" }, policy);
        Assert.Null(ExpirationPolicyInput.Read(new Dictionary<string, string> { ["visibility"] = "public" }));
        Assert.Equal("container_expiration_policy_attributes[keep_n] is invalid", ExpirationPolicyInput.Apply(policy!, new Dictionary<string, string?> { ["keep_n"] = "many" }).Invalid);
    }
}
