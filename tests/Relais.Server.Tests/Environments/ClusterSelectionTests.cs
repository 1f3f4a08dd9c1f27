using Relais.Dispatch;
using Relais.Server.Environments;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Environments;

/// <summary>Which cluster setting a job deploys through: enabled ones whose scope matches, the most specific first.</summary>
public sealed class ClusterSelectionTests
{
    private static readonly ProjectRecord Project = new() { Id = 9, Path = "group/Web.App" };

    private static ResolvedEnvironment Environment(string name, string slug) => new(name, slug, null, "start", "other", null, null, null);

    [Fact]
    public void The_exact_name_beats_a_pattern_which_beats_any_and_disabled_settings_are_skipped()
    {
        ClusterRecord[] clusters =
        [
            new() { Name = "any", EnvironmentScope = "*", ApiUrl = "https://any", Token = "t" },
            new() { Name = "reviews", EnvironmentScope = "review/*", ApiUrl = "https://review", Token = "t" },
            new() { Name = "exact", EnvironmentScope = "review/x", ApiUrl = "https://exact", Token = "t", Enabled = false },
            new() { Name = "prod", EnvironmentScope = "production", ApiUrl = "https://prod", Token = "t", Namespace = "shop", Managed = false },
        ];

        Assert.Equal("https://review", ClusterSelection.For(clusters, Project, Environment("review/x", "review-x-abcdef"))!.ApiUrl);
        Assert.Equal("https://any", ClusterSelection.For(clusters, Project, Environment("staging", "staging"))!.ApiUrl);
        var prod = ClusterSelection.For(clusters, Project, Environment("production", "production"))!;
        Assert.Equal(("https://prod", "shop"), (prod.ApiUrl, prod.DefaultNamespace));
        Assert.Equal("web-app-9-staging", ClusterSelection.For(clusters, Project, Environment("staging", "staging"))!.DefaultNamespace);
        Assert.Null(ClusterSelection.For(clusters, Project, null));
        Assert.Null(ClusterSelection.For(clusters[1..3], Project, Environment("production", "production")));
    }
}
