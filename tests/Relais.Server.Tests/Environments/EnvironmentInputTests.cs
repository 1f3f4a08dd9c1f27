using Relais.Server.Api;

namespace Relais.Server.Tests.Environments;

/// <summary>GitLab's rules for environment names, URLs and search, and for the deployments list's parameters (pure).</summary>
public sealed class EnvironmentInputTests
{
    [Theory]
    [InlineData("production", true)]
    [InlineData("review/feature-x", true)]
    [InlineData("Stage Domain", true)]
    [InlineData("review/${CI_COMMIT_REF_SLUG}", true)]
    [InlineData("v1.0_final", true)]
    [InlineData("/leading", false)]
    [InlineData("trailing/", false)]
    [InlineData("a:b", false)]
    [InlineData("ünïcode", false)]
    [InlineData("", false)]
    public void Names_follow_GitLabs_rule(string name, bool valid) =>
        Assert.Equal(valid, EnvironmentInput.NameProblem(name) is null);

    [Fact]
    public void A_name_too_long_is_refused_with_GitLabs_words() =>
        Assert.Equal("is too long (maximum is 255 characters)", EnvironmentInput.NameProblem(new string('a', 256)));

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://staging.example.com", null)]
    [InlineData("http://10.0.0.1:8080/app", null)]
    [InlineData("ftp://example.com", "is blocked: Only allowed schemes are http, https")]
    [InlineData("not a url", "must be a valid URL")]
    public void External_urls_are_http_or_https(string? url, string? problem) =>
        Assert.Equal(problem, EnvironmentInput.UrlProblem(url));

    [Theory]
    [InlineData("review/feature-x", "feat", true)]
    [InlineData("review/feature-x", "REV", true)]
    [InlineData("review/feature-x", "ature", false)]
    [InlineData("production", "prod", true)]
    [InlineData("production", "duct", false)]
    public void Search_is_a_prefix_of_the_name_or_of_a_part_inside_a_folder(string name, string search, bool matches) =>
        Assert.Equal(matches, EnvironmentInput.MatchesSearch(name, search));

    [Fact]
    public void The_deployments_list_defaults_to_id_ascending_and_reads_filters()
    {
        var (filter, refused) = DeploymentListInput.Read(new Dictionary<string, string> { ["status"] = "success", ["sort"] = "desc", ["order_by"] = "created_at" });

        Assert.Null(refused);
        Assert.Equal(("id", false, "success"), (filter!.OrderBy, filter.Ascending, filter.Status));
        Assert.Equal(("id", true), (DeploymentListInput.Read(new Dictionary<string, string>()).Filter!.OrderBy, DeploymentListInput.Read(new Dictionary<string, string>()).Filter!.Ascending));
    }

    [Fact]
    public void An_updated_filter_orders_by_updated_at_as_GitLab_does()
    {
        var (filter, _) = DeploymentListInput.Read(new Dictionary<string, string> { ["updated_after"] = "2026-01-01T00:00:00Z", ["order_by"] = "ref" });

        Assert.Equal("updated_at", filter!.OrderBy);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), filter.UpdatedAfter);
    }

    [Theory]
    [InlineData("finished_after=2026-01-01T00:00:00Z&updated_after=2026-01-01T00:00:00Z", null, "Both `updated_at` filter and `finished_at` filter can not be specified")]
    [InlineData("finished_after=2026-01-01T00:00:00Z&status=success", null, "`finished_at` filter and `finished_at` sorting must be paired")]
    [InlineData("order_by=finished_at", null, "`finished_at` filter and `finished_at` sorting must be paired")]
    [InlineData("finished_before=2026-01-01T00:00:00Z&order_by=finished_at", null, "`finished_at` filter must be combined with `success` status filter.")]
    [InlineData("order_by=name", "order_by", "order_by does not have a valid value")]
    [InlineData("sort=up", "sort", "sort does not have a valid value")]
    [InlineData("status=done", "status", "status does not have a valid value")]
    [InlineData("updated_before=yesterday", "updated_before", "updated_before is invalid")]
    public void Combinations_GitLab_refuses_are_refused_with_its_words(string query, string? field, string message)
    {
        var q = query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

        var (filter, refused) = DeploymentListInput.Read(q);

        Assert.Null(filter);
        Assert.Equal(new DeploymentListInput.Refusal(field, message), refused);
    }

    [Fact]
    public void Finished_filters_with_success_and_finished_at_order_are_accepted()
    {
        var (filter, refused) = DeploymentListInput.Read(new Dictionary<string, string>
        {
            ["finished_after"] = "2026-01-01T00:00:00Z", ["order_by"] = "finished_at", ["status"] = "success",
        });

        Assert.Null(refused);
        Assert.Equal("finished_at", filter!.OrderBy);
        Assert.NotNull(filter.FinishedAfter);
    }
}
