using Relais.GitOps.Policies;

namespace Relais.GitOps.Tests;

/// <summary>Flux v1's tag annotations, as the tutorial writes them.</summary>
public sealed class FluxV1TagFilterTests
{
    [Fact]
    public void The_tutorials_regexp_leaves_tmp_out()
    {
        var f = FluxV1TagFilter.TryParse("regexp:^((?!tmp).)*$", out var error);
        Assert.Null(error);
        Assert.Null(f!.Rule);
        Assert.Null(f.Filter.Apply("tmp"));
        Assert.Null(f.Filter.Apply("feature-tmp-1"));
        Assert.Equal("main", f.Filter.Apply("main"));
    }

    [Fact]
    public void Glob_and_semver_filters_and_errors()
    {
        var glob = FluxV1TagFilter.TryParse("glob:release-*", out _);
        Assert.Equal("release-1", glob!.Filter.Apply("release-1"));
        Assert.Null(glob.Filter.Apply("main"));
        Assert.Equal("anything", FluxV1TagFilter.TryParse(null, out _)!.Filter.Apply("anything"));
        var semver = FluxV1TagFilter.TryParse("semver:~1.0", out _);
        Assert.Equal("1.0.9", semver!.Rule!.Latest(["1.0.1", "1.0.9", "1.1.0", "tmp"], semver.Filter));
        Assert.Null(FluxV1TagFilter.TryParse("exact:1.0", out var error));
        Assert.Equal("tag filter \"exact:1.0\": expected glob:, semver: or regexp:", error);
    }
}
