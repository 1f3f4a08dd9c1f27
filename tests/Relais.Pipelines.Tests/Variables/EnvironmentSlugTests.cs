using Relais.Pipelines.Context;

namespace Relais.Pipelines.Tests.Variables;

/// <summary>GitLab's environment slugs (the two names from GitLab's own examples, and the rules' edges).</summary>
public sealed class EnvironmentSlugTests
{
    [Theory]
    [InlineData("Stage Domain", "stage-domain-ip33nk")]
    [InlineData("review/feature-x", "review-feature-x-bjrazc")]
    [InlineData("production", "production")]
    [InlineData("staging", "staging")]
    [InlineData("review/a-very-long-branch-name-here", "review-a-very-lon-l8iu0a")]
    [InlineData("1env", "env-1env-9z485v")]
    [InlineData("env--x", "env-x-szj347")]
    public void Slugs_as_GitLab_does(string name, string slug) => Assert.Equal(slug, EnvironmentSlug.Of(name));

    [Fact]
    public void A_changed_name_is_never_longer_than_24()
    {
        Assert.Equal(24, EnvironmentSlug.Of(new string('a', 40)).Length);
        Assert.Equal(new string('a', 24), EnvironmentSlug.Of(new string('a', 24)));
    }
}
