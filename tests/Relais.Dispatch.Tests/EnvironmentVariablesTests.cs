using Relais.Pipelines.Context;

namespace Relais.Dispatch.Tests;

/// <summary><c>CI_ENVIRONMENT_*</c> from the expanded name, as GitLab persists it, and scoped variables matched against that name.</summary>
public sealed class EnvironmentVariablesTests
{
    [Fact]
    public void The_slug_and_tier_come_from_the_expanded_name()
    {
        var job = PayloadTestSupport.Payload(
            "deploy:\n  script: x\n  variables: { BRANCH: feature-x }\n  environment: { name: review/$BRANCH, url: https://$CI_ENVIRONMENT_SLUG.example.com }\n",
            "deploy");
        Assert.Equal("review/feature-x", job.Var("CI_ENVIRONMENT_NAME"));
        Assert.Equal("review-feature-x-bjrazc", job.Var("CI_ENVIRONMENT_SLUG"));
        Assert.Equal("development", job.Var("CI_ENVIRONMENT_TIER"));
        Assert.Equal("start", job.Var("CI_ENVIRONMENT_ACTION"));
        Assert.Equal("https://review-feature-x-bjrazc.example.com", job.Var("CI_ENVIRONMENT_URL"));
    }

    [Fact]
    public void A_name_with_spaces_gets_the_hash_suffix_and_a_written_tier_wins()
    {
        var job = PayloadTestSupport.Payload("deploy:\n  script: x\n  environment: { name: Stage Domain, deployment_tier: production }\n", "deploy");
        Assert.Equal("stage-domain-ip33nk", job.Var("CI_ENVIRONMENT_SLUG"));
        Assert.Equal("production", job.Var("CI_ENVIRONMENT_TIER"));
    }

    [Fact]
    public void Scoped_variables_match_the_expanded_name()
    {
        var context = PayloadTestSupport.Push() with
        {
            Variables =
            [
                new ContextVariable("TARGET", "everywhere"),
                new ContextVariable("TARGET", "review-apps", EnvironmentScope: "review/*"),
                new ContextVariable("TARGET", "prod", EnvironmentScope: "production"),
            ],
        };
        var job = PayloadTestSupport.Payload("deploy:\n  script: x\n  variables: { BRANCH: feature-x }\n  environment: review/$BRANCH\n", "deploy", context);
        Assert.Equal("review-apps", job.Var("TARGET"));
    }

    [Fact]
    public void Resolving_needs_no_job_id_and_guesses_tiers_as_GitLab()
    {
        Assert.Equal("staging", EnvironmentTiers.Guess("staging"));
        Assert.Equal("production", EnvironmentTiers.Guess("production"));
        Assert.Equal("testing", EnvironmentTiers.Guess("qa"));
        Assert.Equal("other", EnvironmentTiers.Guess("customer-x"));
    }
}
